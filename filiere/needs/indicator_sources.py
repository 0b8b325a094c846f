"""Contract indicators computed from the matches between businesses and digital firms."""

from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import TruncDate

from filiere.needs.enums import MatchStatus, Outcome
from filiere.needs.models import Match, Need
from filiere.programme.sources import cumulative_counts, region_departement_codes, register_source


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


@register_source(
    "needs.matches_accepted",
    "Mises en relation acceptées par un prestataire (cumul)",
    uses_demo_data=_demo,
    reads=(Need, Match),
)
def matches_accepted(contract, dates: list[date]) -> list[Decimal]:
    accepted = _region_matches(contract).filter(status=MatchStatus.ACCEPTED)
    return _cumulative_count(contract, accepted, "answered_at", dates)


SIGNED = Q(business_outcome=Outcome.CONTRACT_SIGNED) | Q(provider_outcome=Outcome.CONTRACT_SIGNED)


@register_source(
    "needs.contracts_signed",
    "Contrats signés après une mise en relation (cumul)",
    uses_demo_data=_demo,
    reads=(Need, Match),
)
def contracts_signed(contract, dates: list[date]) -> list[Decimal]:
    return _cumulative_count(
        contract, _region_matches(contract).filter(SIGNED), "outcome_at", dates
    )
