"""Reads of the sector's public showcase: the labelled projects their leads publish, the
firms with granted labels, the contract's events, and the feed's items made of all three.

Nothing confidential leaves here: a project shows its title, its lead's public summary, its
market, its consortium's names, its label's date and the fundings granted, by funder.
Each read costs a fixed number of queries, whatever the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filiere.directory.enums import LabelRequestStatus
from filiere.directory.models import Label, LabelRequest
from filiere.events.models import Event
from filiere.projects.models import Funding, Partner, Project


@dataclass(frozen=True)
class FundingLine:
    funder: str
    amount: Decimal


def showcase_projects(*, market: str = ""):
    """The published labelled projects, newest publication first, with their consortium's
    names and their granted fundings (``funding_lines``): three queries per page."""
    projects = Project.objects.on_showcase()
    if market:
        projects = projects.filter(market=market)
    return (
        projects.select_related("lead")
        .only(
            "title",
            "acronym",
            "market",
            "state",
            "decided_on",
            "showcase_published",
            "showcase_summary",
            "showcase_published_at",
            "is_demo",
            "lead__name",
            "lead__siren",
        )
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.only("project_id", "name", "is_lead")),
            Prefetch(
                "fundings",
                queryset=Funding.objects.kept().only("project_id", "funder", "amount"),
                to_attr="granted_fundings",
            ),
        )
        .order_by("-showcase_published_at", "-pk")
    )


def funding_lines(project: Project) -> list[FundingLine]:
    """The fundings granted to a project of ``showcase_projects``, summed by funder, largest
    first."""
    by_funder: dict[str, Decimal] = defaultdict(Decimal)
    for funding in project.granted_fundings:
        by_funder[funding.funder] += funding.amount
    return [
        FundingLine(funder, amount)
        for funder, amount in sorted(by_funder.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass(frozen=True)
class ShowcaseProject:
    project: Project
    partners: list[str]
    fundings: list[FundingLine]

    @property
    def funding_total(self) -> Decimal:
        return sum((line.amount for line in self.fundings), Decimal(0))


def showcased(projects) -> list[ShowcaseProject]:
    """Each project as the showcase shows it (``projects`` from ``showcase_projects``)."""
    return [
        ShowcaseProject(
            project=p,
            partners=[partner.name for partner in p.partners.all()],
            fundings=funding_lines(p),
        )
        for p in projects
    ]


def showcase_project(pk: int) -> ShowcaseProject | None:
    """One published labelled project, or None."""
    found = showcased(showcase_projects().filter(pk=pk))
    return found[0] if found else None


def granted_labels(*, label: str = ""):
    """The labels granted to firms and not withdrawn, latest first (one query)."""
    grants = LabelRequest.objects.filter(status=LabelRequestStatus.GRANTED)
    if label:
        grants = grants.filter(label__slug=label)
    return grants.select_related("legal_unit", "label__granted_by").order_by("-decided_at", "-pk")


def labels() -> list[Label]:
    return list(Label.objects.order_by("name"))


def upcoming_events(*, now=None):
    """The published events not over yet, soonest first."""
    now = now or timezone.now()
    return (
        Event.objects.published()
        .filter(ends_at__gte=now)
        .select_related("organiser")
        .order_by("starts_at", "pk")
    )


def past_events(*, now=None):
    """The published events held, latest first."""
    now = now or timezone.now()
    return (
        Event.objects.published()
        .filter(ends_at__lt=now)
        .select_related("organiser")
        .order_by("-starts_at", "-pk")
    )


# The feed and the widget: what appears on the showcase, each thing as an item.
PROJECTS, EVENTS, LABELS = "projets", "evenements", "labels"


@dataclass(frozen=True)
class Item:
    kind: str
    # Stable: the same thing keeps it while it is on the showcase, whatever else changes.
    key: str
    title: str
    description: str
    # The path of its public page.
    path: str
    # When it appeared: published, granted, or (an event) when it starts.
    at: datetime


def project_items(limit: int) -> list[Item]:
    """The latest published projects (three queries)."""
    return [
        Item(
            kind=PROJECTS,
            key=f"projet-{s.project.pk}",
            title=s.project.title,
            description=s.project.showcase_summary,
            path=reverse("showcase:project", args=[s.project.pk]),
            at=s.project.showcase_published_at,
        )
        for s in showcased(showcase_projects()[:limit])
    ]


def label_items(limit: int) -> list[Item]:
    """The latest labels granted (one query)."""
    return [
        Item(
            kind=LABELS,
            key=f"label-{grant.pk}",
            title=_("%(firm)s : label « %(label)s »")
            % {"firm": grant.legal_unit.name, "label": grant.label.name},
            description=_("Label « %(label)s » accordé à %(firm)s.")
            % {"firm": grant.legal_unit.name, "label": grant.label.name},
            path=reverse("directory:detail", args=[grant.legal_unit.siren]),
            at=grant.decided_at or grant.requested_at,
        )
        for grant in granted_labels()[:limit]
    ]


def event_items(limit: int, *, now=None) -> list[Item]:
    """The next events, then the latest held (two queries)."""
    events = list(upcoming_events(now=now)[:limit])
    events += list(past_events(now=now)[: limit - len(events)]) if len(events) < limit else []
    return [
        Item(
            kind=EVENTS,
            key=f"evenement-{event.pk}",
            title=event.title,
            description=_("%(kind)s, le %(day)s à %(place)s, organisé par %(organiser)s.")
            % {
                "kind": event.get_kind_display(),
                "day": date_format(timezone.localtime(event.starts_at), "d/m/Y"),
                "place": event.place,
                "organiser": event.organiser,
            },
            path=reverse("events:detail", args=[event.slug]),
            at=event.starts_at,
        )
        for event in events
    ]


ITEMS = {PROJECTS: project_items, EVENTS: event_items, LABELS: label_items}


def feed_items(limit: int) -> list[Item]:
    """The latest of each kind, newest first, ``limit`` in all."""
    items = [item for read in ITEMS.values() for item in read(limit)]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]
