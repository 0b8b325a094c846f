"""Contract indicators computed from the matches between businesses and digital firms."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filiere.needs.enums import MatchStatus, Outcome
from filiere.needs.models import Match, Need
from filiere.programme.sources import (
    Breakdown,
    cumulative_counts,
    region_departement_codes,
    register_source,
)


def _region_matches(contract):
    return Match.objects.filter(need__departement_code__in=region_departement_codes(contract))


def _cumulative_count(contract, matches, moment: str, dates: list[date]) -> list[Decimal]:
    """How many of the matches had their ``moment`` (a date-time field) by each date."""
    days = list(matches.annotate(day=TruncDate(moment)).values_list("day", flat=True))
    return cumulative_counts(contract, days, dates)


def _demo(contract) -> bool:
    cache = contract.__dict__
    if "_needs_demo" not in cache:
        cache["_needs_demo"] = _region_matches(contract).filter(need__is_demo=True).exists()
    return cache["_needs_demo"]


def _by_campaign(matches, moment: str):
    """The matches counted on a day, split by the campaign their need came through."""

    def parts(contract, day: date) -> list[tuple[str, Decimal]]:
        counted = (
            matches(contract)
            .filter(**{f"{moment}__date__gte": contract.start_date, f"{moment}__date__lte": day})
            .values("need__campaign")
            .annotate(count=Count("id"))
            .order_by("need__campaign")
        )
        return [
            (row["need__campaign"] or _("sans campagne"), Decimal(row["count"])) for row in counted
        ]

    return Breakdown(gettext_lazy("Campagne"), parts)


def _accepted(contract):
    return _region_matches(contract).filter(status=MatchStatus.ACCEPTED)


def _signed(contract):
    return _region_matches(contract).filter(SIGNED)


SIGNED = Q(business_outcome=Outcome.CONTRACT_SIGNED) | Q(provider_outcome=Outcome.CONTRACT_SIGNED)


@register_source(
    "needs.matches_accepted",
    "Mises en relation acceptées par un prestataire (cumul)",
    uses_demo_data=_demo,
    reads=(Need, Match),
    breakdown=_by_campaign(_accepted, "answered_at"),
)
def matches_accepted(contract, dates: list[date]) -> list[Decimal]:
    return _cumulative_count(contract, _accepted(contract), "answered_at", dates)


@register_source(
    "needs.contracts_signed",
    "Contrats signés après une mise en relation (cumul)",
    uses_demo_data=_demo,
    reads=(Need, Match),
    breakdown=_by_campaign(_signed, "outcome_at"),
)
def contracts_signed(contract, dates: list[date]) -> list[Decimal]:
    return _cumulative_count(contract, _signed(contract), "outcome_at", dates)
