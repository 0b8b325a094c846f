"""The day of a matchmaking event: arrivals, no-shows, and a replacement meeting for the
participant whose partner did not come."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.common.refusals import Refused
from filiere.events import access, selectors
from filiere.events.enums import MeetingState, RequestStatus
from filiere.events.models import Meeting, MeetingRequest, Registration


def check_in(*, user, registration: Registration) -> Registration:
    access.check_check_in(user, registration)
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    return registration


def mark_no_show(*, user, meeting: Meeting, absent: Registration) -> Meeting:
    """One of the two did not come: their table and the other's time are free again."""
    access.check_absent(user, meeting, absent)
    meeting.state = MeetingState.NO_SHOW
    meeting.absent = absent
    meeting.save(update_fields=["state", "absent"])
    return meeting


@transaction.atomic
def replacement_create(*, user, meeting: Meeting, candidate: Registration) -> Meeting:
    """A meeting between the present participant and a free one, at the no-show's table."""
    access.check_replace(user, meeting)
    if candidate not in selectors.replacements(meeting):
        raise Refused(
            "events.replacement_not_free", _("Ce participant n'est pas libre sur ce créneau.")
        )
    present = meeting.present
    request = selectors.requests_with(present).get(candidate.pk)
    if request is None:
        request = MeetingRequest.objects.create(
            event=present.event,
            requester=present,
            target=candidate,
            priority=1,
            status=RequestStatus.ACCEPTED,
        )
    elif hasattr(request, "meeting"):  # a no-show of theirs: one meeting per request
        raise Refused(
            "events.replacement_met_already", _("Ces deux participants ont déjà un rendez-vous.")
        )
    else:
        request.status = RequestStatus.ACCEPTED
        request.save(update_fields=["status"])
    return Meeting.objects.create(
        request=request, slot=meeting.slot, table=meeting.table, state=MeetingState.PUBLISHED
    )
