"""Contract indicators computed from the events linked to the contract's actions."""

from datetime import date
from decimal import Decimal

from django.db.models.functions import TruncDate

from filiere.events.enums import EventKind, MeetingState, RegistrationStatus
from filiere.events.models import Event, Meeting, MeetingRequest, Registration, Slot
from filiere.programme.sources import cumulative_counts, register_source


def _events(contract):
    return Event.objects.filter(action__axis__contract=contract)


def _demo(contract) -> bool:
    cache = contract.__dict__
    if "_events_demo" not in cache:
        cache["_events_demo"] = _events(contract).filter(is_demo=True).exists()
    return cache["_events_demo"]


@register_source(
    "events.meetings_held",
    "Rendez-vous d'affaires tenus lors des événements du contrat (cumul)",
    uses_demo_data=_demo,
    reads=(Event, Registration, MeetingRequest, Slot, Meeting),
)
def meetings_held(contract, dates: list[date]) -> list[Decimal]:
    days = list(
        Meeting.objects.filter(request__event__in=_events(contract), state=MeetingState.PUBLISHED)
        .annotate(day=TruncDate("slot__starts_at"))
        .values_list("day", flat=True)
    )
    return cumulative_counts(contract, days, dates)


@register_source(
    "events.firms_at_trade_shows",
    "Entreprises retenues pour les salons et missions du contrat (cumul)",
    uses_demo_data=_demo,
    reads=(Event, Registration, MeetingRequest, Slot, Meeting),
)
def firms_at_trade_shows(contract, dates: list[date]) -> list[Decimal]:
    rows = list(
        Registration.objects.filter(
            event__in=_events(contract),
            event__kind__in=[EventKind.TRADE_SHOW, EventKind.MISSION],
            status=RegistrationStatus.APPROVED,
        )
        .annotate(day=TruncDate("event__starts_at"))
        .values_list("day", "company")
    )
    return [Decimal(len({c.lower() for d, c in rows if d <= day})) for day in dates]
