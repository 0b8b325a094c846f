"""Meeting requests between the participants of a matchmaking event, and their answers."""

from django.db import transaction

from filiere.events import access
from filiere.events.enums import RequestStatus
from filiere.events.models import Meeting, MeetingRequest, Registration


def request_meeting(
    *, user, requester: Registration, target: Registration, priority: int
) -> MeetingRequest:
    """Ask another participant for a meeting (asking again sets the priority anew); accepted
    at once when the organiser said so."""
    access.check_request_meeting(user, requester, target)
    auto = requester.event.auto_accept_requests
    request, _created = MeetingRequest.objects.update_or_create(
        requester=requester,
        target=target,
        defaults={
            "event": requester.event,
            "priority": priority,
            "status": RequestStatus.ACCEPTED if auto else RequestStatus.PENDING,
        },
    )
    return request


@transaction.atomic
def request_answer(*, user, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """Accept or decline a request received; a declined request takes its meeting with it."""
    access.check_answer(user, request)
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.save(update_fields=["status"])
    if not accept:
        Meeting.objects.filter(request=request).delete()
    return request
