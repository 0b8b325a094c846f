"""Reads of the event pages, each in a fixed number of queries."""

from django.db.models import Avg, Count, Q

from filiere.accounts.selectors import user_roles
from filiere.directory.models import LegalUnit
from filiere.events.enums import MeetingState, RegistrationStatus, RequestStatus
from filiere.events.models import Event, Feedback, Meeting, MeetingRequest


def events_listing():
    """Events, the latest first (a grouped query ignores the model's ordering: it is said here)."""
    return (
        Event.objects.select_related("organiser")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)
            )
        )
        .order_by("-starts_at", "-id")
    )


def event_meetings(event):
    return Meeting.objects.filter(request__event=event).select_related(
        "slot", "request__requester", "request__target", "absent"
    )


def published_meetings_of(registration):
    return (
        event_meetings(registration.event)
        .filter(Q(request__requester=registration) | Q(request__target=registration))
        .exclude(state=MeetingState.DRAFT)
    )


def requests_of(registration):
    mine = MeetingRequest.objects.select_related("requester", "target")
    return {
        "sent": list(mine.filter(requester=registration)),
        "received": list(mine.filter(target=registration)),
        "pending": list(mine.filter(target=registration, status=RequestStatus.PENDING)),
    }


def feedback_summary(event) -> dict:
    answers = Feedback.objects.filter(registration__event=event)
    summary = answers.aggregate(count=Count("id"), average=Avg("rating"))
    summary["comments"] = list(answers.exclude(comment="").values_list("comment", flat=True))
    return summary


def profile_of(user) -> dict:
    """What the directory knows of the user's firm, to fill a registration in."""
    organisations = {org for org, _role in user_roles(user)}
    unit = (
        LegalUnit.objects.filter(organisation__in=organisations).select_related("offer").first()
        if organisations
        else None
    )
    if unit is None:
        return {}
    offer = getattr(unit, "offer", None)
    return {
        "legal_unit": unit,
        "company": unit.name,
        "offer": offer.summary if offer else unit.description,
    }
