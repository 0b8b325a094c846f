"""The offices' activity: each figure computed once here, for the page, its CSV, the quarterly
mail and the ``office_activity`` command.

Which needs an office receives, and what "subject" means:

* a support need (``support.SupportNeed``) is received by each office it was routed to (its
  ``offices``, which loses an office that said it was not for it); its subject is its
  ``subject``;
* a digitalisation need (``needs.Need``, once its address is confirmed) is received by the
  office it was redirected to, else by every office with an adviser whose organisation's area
  covers its département; its subject is its ``domain`` (the two lists share no code);
* both are also received by the office that took them.

A need is received in a period when the list's own export filters it in that period
(``support.selectors.received_between``, ``needs.selectors.received_between``): the day it
was recorded, or the day a digitalisation need's address was confirmed.

Per office and subject: ``received``; ``taken`` by this office; ``taken_within_5_days``, of
those, taken at most 5 working days after the day received (``common.workdays``); the
``median_days_to_take``, in working days; ``closed`` by this office with an outcome (and by
outcome); ``abandoned`` (nobody took it in 30 days); the firms' ``satisfaction`` with the
support needs this office took (average and number of answers; none for digitalisation
needs, which are not rated).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, Organisation
from filiere.common.taking import CLOSING_STATUSES, TakingStatus
from filiere.common.workdays import working_days_between
from filiere.needs import selectors as needs_selectors
from filiere.needs.enums import Domain, NeedStatus
from filiere.needs.models import Need
from filiere.support import selectors as support_selectors
from filiere.support.enums import Subject
from filiere.support.models import SupportNeed

# How soon an office should take a need, in working days.
PROMPT_DAYS = 5

# The outcomes a need is closed with: an adviser's, or its business's (digitalisation needs).
OUTCOMES = (*CLOSING_STATUSES, NeedStatus.CLOSED)
OUTCOME_LABELS = {
    **{status.value: status.label for status in CLOSING_STATUSES},
    NeedStatus.CLOSED.value: NeedStatus.CLOSED.label,
}

SUBJECT_LABELS = {**dict(Subject.choices), **dict(Domain.choices)}


def subject_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The subjects, grouped by flow (support subjects, digitalisation domains)."""
    return [
        (_("Accompagnement"), Subject.choices),
        (_("Besoins numériques"), Domain.choices),
    ]


@dataclass(frozen=True)
class Received:
    """One need as one office received it: plain data, from which every figure is counted."""

    office_id: int
    subject: str
    received_on: date
    taken_on: date | None  # when this office took it
    status: str
    satisfaction: int | None = None

    @property
    def days_to_take(self) -> int | None:
        if self.taken_on is None:
            return None
        return working_days_between(self.received_on, self.taken_on)


@dataclass
class Figures:
    received: int = 0
    taken: int = 0
    taken_within_5_days: int = 0
    median_days_to_take: float | None = None
    closed: int = 0
    closed_by_outcome: dict[str, int] = field(default_factory=dict)
    abandoned: int = 0
    satisfaction_average: float | None = None
    satisfaction_answers: int = 0

    @property
    def share_taken_within_5_days(self) -> float | None:
        """Of the needs received, the share taken within 5 working days (0 to 1)."""
        return self.taken_within_5_days / self.received if self.received else None


def figures(needs: Iterable[Received]) -> Figures:
    """The figures of some received needs: the one place each is counted."""
    needs = list(needs)
    delays = [n.days_to_take for n in needs if n.taken_on is not None]
    ratings = [n.satisfaction for n in needs if n.taken_on is not None and n.satisfaction]
    closed = [n.status for n in needs if n.taken_on is not None and n.status in OUTCOMES]
    return Figures(
        received=len(needs),
        taken=len(delays),
        taken_within_5_days=sum(days <= PROMPT_DAYS for days in delays),
        median_days_to_take=float(median(delays)) if delays else None,
        closed=len(closed),
        closed_by_outcome={str(outcome): closed.count(outcome) for outcome in OUTCOMES},
        abandoned=sum(n.status == TakingStatus.ABANDONED for n in needs),
        satisfaction_average=round(sum(ratings) / len(ratings), 2) if ratings else None,
        satisfaction_answers=len(ratings),
    )


@dataclass(frozen=True)
class Row:
    office: Organisation
    subject: str
    figures: Figures

    @property
    def subject_label(self) -> str:
        return str(SUBJECT_LABELS.get(self.subject, self.subject))

    def as_dict(self) -> dict:
        """The row as the command gives it (JSON)."""
        f = self.figures
        return {
            "office": self.office.slug,
            "subject": self.subject,
            "received": f.received,
            "taken": f.taken,
            "taken_within_5_days": f.taken_within_5_days,
            "median_days_to_take": f.median_days_to_take,
            "closed": f.closed,
            "closed_by_outcome": f.closed_by_outcome,
            "abandoned": f.abandoned,
            "satisfaction_average": f.satisfaction_average,
            "satisfaction_answers": f.satisfaction_answers,
        }


def receiving_offices():
    """The offices that receive needs: those support needs are routed to, and those with
    advisers (digitalisation needs go to the advisers of their territory)."""
    return (
        Organisation.objects.filter(
            Q(routing_rules__isnull=False)
            | Q(memberships__role=Role.ADVISER, memberships__is_active=True)
        )
        .distinct()
        .order_by("name")
    )


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _support_received(office_ids: set[int], start, end, subject: str) -> list[Received]:
    needs = support_selectors.received_between(SupportNeed.objects.all(), start, end)
    if subject:
        needs = needs.filter(subject=subject)
    rows = list(
        needs.values_list(
            "pk", "subject", "created_at", "taken_office_id", "taken_at", "status", "satisfaction"
        )
    )
    routed = defaultdict(set)
    for need_id, office_id in SupportNeed.offices.through.objects.filter(
        supportneed__in=needs.values("pk")
    ).values_list("supportneed_id", "organisation_id"):
        routed[need_id].add(office_id)
    received = []
    for pk, subject_code, created_at, taken_office, taken_at, status, rating in rows:
        for office_id in (routed[pk] | {taken_office}) & office_ids:
            mine = office_id == taken_office
            received.append(
                Received(
                    office_id=office_id,
                    subject=subject_code,
                    received_on=_local_day(created_at),
                    taken_on=_local_day(taken_at) if mine else None,
                    status=status,
                    satisfaction=rating if mine else None,
                )
            )
    return received


def _need_offices(areas: dict[int, list[str]], departement: str, redirected_to, taken_office):
    if redirected_to:
        offices = {redirected_to}
    else:
        offices = {pk for pk, area in areas.items() if not area or departement in area}
    return offices | {taken_office} if taken_office else offices


def _digital_received(office_ids: set[int], start, end, subject: str) -> list[Received]:
    if subject and subject not in Domain.values:
        return []
    needs = needs_selectors.received_between(
        Need.objects.exclude(status=NeedStatus.UNCONFIRMED), start, end
    )
    if subject:
        needs = needs.filter(domain=subject)
    # The offices whose advisers the needs of a territory go to, with their area.
    areas = dict(
        Membership.objects.active()
        .filter(role=Role.ADVISER)
        .values_list("organisation_id", "organisation__area")
    )
    received = []
    for (
        domain,
        departement,
        moment,
        redirected,
        taken_office,
        taken_at,
        status,
    ) in needs.values_list(
        "domain",
        "departement_code",
        "received",
        "redirected_to_id",
        "taken_office_id",
        "taken_at",
        "status",
    ):
        for office_id in _need_offices(areas, departement, redirected, taken_office) & office_ids:
            mine = office_id == taken_office
            received.append(
                Received(
                    office_id=office_id,
                    subject=domain,
                    received_on=_local_day(moment),
                    taken_on=_local_day(taken_at) if mine else None,
                    status=status,
                )
            )
    return received


def received_needs(offices, *, start=None, end=None, subject: str = "") -> list[Received]:
    """Every need the offices received in the period (both days included), once per office:
    four queries whatever their number."""
    office_ids = {office.pk for office in offices}
    if subject and subject not in SUBJECT_LABELS:
        return []
    support = [] if subject in Domain.values else _support_received(office_ids, start, end, subject)
    return support + _digital_received(office_ids, start, end, subject)


@dataclass(frozen=True)
class Activity:
    rows: list[Row]
    trend: "Trend"
    total: Figures


def office_activity(offices, *, start=None, end=None, subject: str = "") -> Activity:
    """One row per office and subject with needs received in the period (by office name, then
    subject), their trend by quarter and their total."""
    offices = list(offices)
    needs = received_needs(offices, start=start, end=end, subject=subject)
    groups = defaultdict(list)
    for need in needs:
        groups[need.office_id, need.subject].append(need)
    rows = [
        Row(office=office, subject=code, figures=figures(groups[office.pk, code]))
        for office in sorted(offices, key=lambda o: (o.name, o.pk))
        for code in SUBJECT_LABELS
        if groups[office.pk, code]
    ]
    return Activity(rows=rows, trend=trend(needs), total=figures(needs))


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Trend:
    """Per quarter of the period: needs received, taken, and taken within 5 working days."""

    quarters: list[tuple[int, int]]  # (year, quarter)
    figures: list[Figures]

    @property
    def labels(self) -> list[str]:
        return [_("T%(quarter)s %(year)s") % {"quarter": q, "year": y} for y, q in self.quarters]


def trend(needs: Iterable[Received]) -> Trend:
    by_quarter = defaultdict(list)
    for need in needs:
        by_quarter[quarter_of(need.received_on)].append(need)
    quarters = sorted(by_quarter)
    return Trend(quarters=quarters, figures=[figures(by_quarter[q]) for q in quarters])
