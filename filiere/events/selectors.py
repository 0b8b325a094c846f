"""Reads of the event pages, each in a fixed number of queries, and of their exports."""

from django.db.models import Avg, Count, Q

from filiere.accounts.selectors import user_roles
from filiere.directory.models import LegalUnit
from filiere.events import adapters
from filiere.events.access import same_firm, visible_events
from filiere.events.enums import MeetingState, RegistrationStatus, RequestStatus
from filiere.events.models import Event, Feedback, Meeting, MeetingRequest, Registration


def events_listing(user):
    """The events the user may see (the published ones, and the drafts of those they
    organise), the latest first (a grouped query ignores the model's ordering: it is said
    here)."""
    return (
        visible_events(user, Event.objects.all())
        .select_related("organiser")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)
            )
        )
        .order_by("-starts_at", "-id")
    )


def event_registrations(event: Event):
    """Every registration to the event, with its person (the organiser's list, the CSV)."""
    return event.registrations.select_related("user")


def participants(event: Event):
    return event.registrations.filter(status=RegistrationStatus.APPROVED)


def event_meetings(event: Event):
    return Meeting.objects.filter(request__event=event).select_related(
        "slot", "request__event", "request__requester", "request__target", "absent"
    )


def published_meetings_of(registration: Registration):
    return (
        event_meetings(registration.event)
        .filter(Q(request__requester=registration) | Q(request__target=registration))
        .exclude(state=MeetingState.DRAFT)
    )


def requests_of(registration: Registration) -> dict:
    mine = MeetingRequest.objects.select_related("requester", "target")
    return {
        "sent": list(mine.filter(requester=registration)),
        "received": list(mine.filter(target=registration)),
        "pending": list(mine.filter(target=registration, status=RequestStatus.PENDING)),
    }


def not_yet_asked(registration: Registration, requests: dict) -> list[Registration]:
    """The other participants this one has neither asked nor been asked by."""
    asked = {r.target_id for r in requests["sent"]} | {r.requester_id for r in requests["received"]}
    return [other for other in _others(registration) if other.pk not in asked]


def _others(registration: Registration) -> list[Registration]:
    """The participants this one may meet: not itself, nor its own firm's people."""
    others = participants(registration.event).exclude(pk=registration.pk)
    return [other for other in others if not same_firm(registration, other)]


def suggestions(registration: Registration, top: int = 5) -> list[tuple[Registration, tuple]]:
    """Other participants whose offer answers what this one seeks, with the words in common."""
    return adapters.suggestions(registration, _others(registration), top=top)


def latest_run(event: Event):
    """The event's last run of the scheduler (its ``is_running`` says whether it still runs)."""
    return event.runs.first()


def feedback_summary(event: Event) -> dict:
    answers = Feedback.objects.filter(registration__event=event)
    summary = answers.aggregate(count=Count("id"), average=Avg("rating"))
    summary["comments"] = list(answers.exclude(comment="").values_list("comment", flat=True))
    return summary


def schedule_of(event: Event) -> dict:
    """The meetings of the organiser's schedule table, and how many are drafts to publish."""
    meetings = list(event_meetings(event))
    return {
        "meetings": meetings,
        "drafts": sum(1 for m in meetings if m.state == MeetingState.DRAFT),
    }


def organiser_desk(event: Event) -> dict:
    """What the organiser's page shows of the event."""
    return {
        # The run first: a run read as over saved its meetings before, so they are read
        # below; one read as running is followed until it is over, and then brings them.
        "run": latest_run(event),
        "registrations": list(event_registrations(event)),
        "slots": list(event.slots.all()),
        **schedule_of(event),
        "accepted": event.requests.filter(status=RequestStatus.ACCEPTED).count(),
        "invitations": list(
            event.invitations.select_related("legal_unit").order_by("legal_unit__name")
        ),
        "feedback": feedback_summary(event),
    }


def requests_with(registration: Registration) -> dict[int, MeetingRequest]:
    """The requests between a participant and each other one, keyed by the other one; where
    both asked, the one that has a meeting (a second meeting of theirs would break a rule)."""
    found: dict[int, MeetingRequest] = {}
    between = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(target=registration)
    ).select_related("meeting")
    for request in between:
        other = (
            request.target_id if request.requester_id == registration.pk else request.requester_id
        )
        if other not in found or hasattr(request, "meeting"):
            found[other] = request
    return found


def replacements(meeting: Meeting) -> list[Registration]:
    """Who could meet the present participant of a no-show in its slot, as the schedule's
    rules allow (``adapters.free_partners``): those linked to them by a request first, then
    those who have arrived, then by name."""
    present = meeting.present
    candidates = participants(meeting.request.event).exclude(pk__in={present.pk, meeting.absent_id})
    linked = requests_with(present)
    return sorted(
        adapters.free_partners(meeting, candidates, linked),
        key=lambda r: (r.pk not in linked, r.checked_in_at is None, r.company.lower()),
    )


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
