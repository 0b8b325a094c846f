"""An event's registrations and meetings through the API (droit ``events:read``), for the
organiser's own tools: only the events the key's organisation organises (the registrations
hold the participants' details, which only the organiser keeps)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from filiere.common.api import Paging
from filiere.events.enums import MeetingState, RegistrationStatus
from filiere.events.models import Event, Meeting, Registration
from filiere.partners.auth import key_auth
from filiere.partners.enums import Scope
from filiere.partners.schemas import KEY_ERRORS

router = Router(auth=key_auth(Scope.EVENTS_READ))


class RegistrationOut(Schema):
    id: int
    company: str
    siren: str | None = Field(default=None, alias="legal_unit.siren")
    status: RegistrationStatus
    offer: str
    seek: str
    created_at: datetime
    checked_in_at: datetime | None


class MeetingOut(Schema):
    id: int
    starts_at: datetime = Field(alias="slot.starts_at")
    ends_at: datetime = Field(alias="slot.ends_at")
    table: int
    state: MeetingState
    requester_id: int = Field(alias="request.requester_id")
    target_id: int = Field(alias="request.target_id")


def _organised_event(request, event_id: int) -> Event:
    return get_object_or_404(
        Event.objects.filter(organiser=request.api_key.organisation), pk=event_id
    )


@router.get("/{event_id}/registrations", response={200: list[RegistrationOut], **KEY_ERRORS})
@paginate(Paging)
def list_registrations(request, event_id: int):
    """The registrations of an event the key's organisation organises."""
    event = _organised_event(request, event_id)
    return Registration.objects.filter(event=event).select_related("legal_unit").order_by("id")


@router.get("/{event_id}/meetings", response={200: list[MeetingOut], **KEY_ERRORS})
@paginate(Paging)
def list_meetings(request, event_id: int):
    """The meetings of an event the key's organisation organises, in the order of the day."""
    event = _organised_event(request, event_id)
    return (
        Meeting.objects.filter(slot__event=event)
        .select_related("slot", "request")
        .order_by("slot__starts_at", "table", "id")
    )
