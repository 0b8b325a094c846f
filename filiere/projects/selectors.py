"""Reads of the project pages, the API and the exports: the projects list, a project's file,
the aid catalogue (searched, or the schemes a project is eligible for) and the partners
suggested for a consortium.

The catalogue holds tens to a few hundred schemes: filters on their list
fields (sizes, markets, départements) run in Python over one query, and the
words are ranked with the same French BM25 as the rest of the platform.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.search import TextIndex
from filiere.common import history
from filiere.common.history import Change, Entry
from filiere.directory.models import LegalUnit
from filiere.projects import adapters
from filiere.projects.models import (
    AidImportRun,
    AidScheme,
    Funding,
    Partner,
    Project,
    Review,
    SavedSearch,
)
from filiere.territory.models import Region


def project_list(projects, *, state: str = "", market: str = "", q: str = ""):
    """Projects with their lead, cluster, partner count and total budget, in one query."""
    if state:
        projects = projects.filter(state=state)
    if market:
        projects = projects.filter(market=market)
    if q:
        projects = projects.filter(
            Q(title__icontains=q) | Q(acronym__icontains=q) | Q(lead__name__icontains=q)
        )
    return (
        projects.select_related("lead", "cluster")
        .annotate(
            partner_count=Count("partners", distinct=True),
            budget=Coalesce(
                Sum("partners__budget"), Value(0), output_field=DecimalField(max_digits=14)
            ),
        )
        .order_by("-updated_at", "pk")
    )


def project_file(project: Project) -> dict:
    """What the project's page lists: its consortium and budget, reviews, documents, fundings
    and their total, milestones, follow-up reports and history."""
    partners = list(project.partners.select_related("legal_unit"))
    fundings = list(project.fundings.kept().select_related("scheme"))
    return {
        "partners": partners,
        "budget_total": sum(p.budget for p in partners),
        "reviews": project.reviews.all(),
        "documents": project.documents.select_related("uploaded_by"),
        "fundings": fundings,
        "funding_total": sum(f.amount for f in fundings) if fundings else None,
        "milestones": project.milestones.all(),
        "reports": project.reports.select_related("author"),
        "transitions": project.transitions.select_related("by"),
    }


def _about(entries: list[Entry], name: str, kept: bool = True) -> list[Entry]:
    """A partner's or a funding's entries as the project's history shows them: each change
    named after it, its arrival and its departure as a change of the consortium."""
    shown = []
    for entry in entries:
        changes = tuple(Change(f"{name} — {c.field}", c.old, c.new) for c in entry.changes)
        if entry.kind == "+" and kept:
            changes = (Change(str(_("Consortium")), "—", name),)
        elif entry.kind == "-":
            changes = (Change(str(_("Consortium")), name, "—"),)
        shown.append(
            Entry(at=entry.at, by=entry.by, kind=entry.kind, reason=entry.reason, changes=changes)
        )
    return shown


def project_history(project: Project) -> list[Entry]:
    """The project's history, newest first: the lead's edits of the project and of its
    consortium, the cluster's corrections of its decision and of its fundings, each with
    who, when, why and the earlier values (a move that changed none of them is left out:
    the transitions say it)."""
    entries = [e for e in history.entries(project) if e.kind == "+" or e.changes]
    partners = Partner.history.filter(project_id=project.pk).order_by("id", "-history_date")
    names = {}
    for record in partners:
        names.setdefault(record.id, record.name)
    for pk, of_one in history.entries_by_pk(Partner, names).items():
        entries += [e for e in _about(of_one, names[pk]) if e.changes]
    fundings = Funding.history.filter(project_id=project.pk).order_by("id", "-history_date")
    funders = {}
    for record in fundings:
        funders.setdefault(record.id, record.funder)
    for pk, of_one in history.entries_by_pk(Funding, funders).items():
        entries += [e for e in _about(of_one, funders[pk], kept=False) if e.changes]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def opinion_corrections(reviews) -> dict[int, list[Entry]]:
    """Each review's corrections of its opinion (the entries with a reason), newest first."""
    return {
        pk: [e for e in entries if e.kind == "~" and e.reason]
        for pk, entries in history.entries_by_pk(Review, [r.pk for r in reviews]).items()
    }


def withdrawn_reviews(project: Project) -> list[Entry]:
    """The experts the cluster withdrew from the project, newest first, each with who, when,
    why: the officer's to read, as the experts' names are."""
    records = Review.history.filter(project_id=project.pk, history_type="-").select_related(
        "reviewer"
    )
    experts = {record.id: str(record.reviewer or "—") for record in records}
    withdrawn = [
        Entry(
            at=entry.at,
            by=entry.by,
            kind=entry.kind,
            reason=entry.reason,
            changes=(Change(str(_("Expert")), experts[pk], "—"),),
        )
        for pk, entries in history.entries_by_pk(Review, experts).items()
        for entry in entries
        if entry.kind == "-"
    ]
    return sorted(withdrawn, key=lambda e: e.at, reverse=True)


# The catalogue.


def published_schemes():
    return AidScheme.objects.filter(is_published=True)


def aid_import_runs():
    """The import's runs, the latest first."""
    return AidImportRun.objects.all()


def new_schemes(*, after, until):
    """The schemes published in a period (after ``after``, until ``until`` included)."""
    return published_schemes().filter(published_at__gt=after, published_at__lte=until)


def _matches(scheme: AidScheme, criteria: dict, today: date) -> bool:
    market, size = criteria.get("market"), criteria.get("size")
    if market and scheme.themes and market not in scheme.themes:
        return False
    if size and scheme.sizes and size not in scheme.sizes:
        return False
    if criteria.get("form") and scheme.form != criteria["form"]:
        return False
    if criteria.get("level") and scheme.level != criteria["level"]:
        return False
    return not (criteria.get("open_only") and scheme.closes_on and scheme.closes_on < today)


def search_schemes(criteria: dict, *, today: date, schemes=None) -> list[AidScheme]:
    """Published schemes (or ``schemes``) matching the criteria: by relevance when words are
    given, else by nearest deadline (schemes without one last)."""
    if schemes is None:
        schemes = published_schemes()
    kept = [s for s in schemes if _matches(s, criteria, today)]
    words = (criteria.get("q") or "").strip()
    if words:
        index = TextIndex(
            [s.pk for s in kept],
            [" ".join((s.title, s.promise, s.description, s.eligibility, s.funder)) for s in kept],
        )
        by_pk = {s.pk: s for s in kept}
        return [by_pk[pk] for pk, _score in index.search(words, k=len(kept))]
    return sorted(kept, key=lambda s: (s.closes_on is None, s.closes_on or date.max, s.title))


def saved_searches(user):
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user)


# What a scheme that targets a project targets (the engine's criteria).
TARGETED_ON = {
    "size": gettext_lazy("la taille de l'entreprise"),
    "stage": gettext_lazy("la maturité du projet"),
    "territory": gettext_lazy("le territoire"),
    "theme": gettext_lazy("le marché"),
}


@dataclass(frozen=True)
class EligibleScheme:
    scheme: AidScheme
    # What the scheme targets that the project has, as the page says it.
    targeted_on: tuple[str, ...]


def eligible_for(project: Project, *, today: date) -> list[EligibleScheme]:
    """The published schemes the project is eligible for, best fit then nearest deadline first."""
    schemes = {str(s.pk): s for s in published_schemes()}
    return [
        EligibleScheme(schemes[fit.scheme_id], tuple(TARGETED_ON[c] for c in fit.met))
        for fit in adapters.eligible_fits(schemes.values(), project, today=today)
    ]


def departements_by_region() -> dict[str, frozenset[str]]:
    """Each région's département codes (for the export's territories)."""
    return {
        r.code: frozenset(d.code for d in r.departements.all())
        for r in Region.objects.prefetch_related("departements")
    }


# The partners suggested for a consortium.


@dataclass(frozen=True)
class SuggestionRow:
    unit: LegalUnit
    # The partner kind the firm would join as.
    kind: str
    # The wanted skills it brings, as words.
    brings: list[str]
    explanation: dict


@dataclass(frozen=True)
class SuggestionSlot:
    heading: str
    rows: list[SuggestionRow]


def _heading(slot: str, project: Project) -> str:
    if slot == adapters.LABORATORY:
        return _("Un laboratoire (le consortium n'en a pas)")
    if slot == adapters.END_USER:
        return _("Un utilisateur final du marché « %(market)s »") % {
            "market": project.get_market_display()
        }
    return _("Des compétences numériques complémentaires")


def suggestion_slots(project: Project, *, per_slot: int = 5) -> list[SuggestionSlot]:
    """The suggestions as the page shows them, per gap of the consortium: the firm, the kind
    of partner it would be, what it brings and why it is suggested."""
    slots = adapters.suggested_partners(project, per_slot=per_slot)
    units = LegalUnit.objects.in_bulk([p.unit_id for found in slots.values() for p in found])
    return [
        SuggestionSlot(
            heading=_heading(slot, project),
            rows=[
                SuggestionRow(
                    unit=units[p.unit_id],
                    kind=adapters.SLOT_PARTNER_KIND[slot],
                    brings=[t.partition(":")[2].replace("-", " ") for t in p.brings],
                    explanation=p.explanation,
                )
                for p in found
            ],
        )
        for slot, found in slots.items()
    ]
