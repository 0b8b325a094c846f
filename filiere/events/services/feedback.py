"""The participants' opinion of an event: asked once after it ends, given once it began."""

from django.db import transaction
from django.urls import reverse

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.events import access
from filiere.events.enums import RegistrationStatus
from filiere.events.models import Feedback, Registration


def feedback_record(
    *, user, registration: Registration, rating: int, useful_meetings=None, comment: str = ""
) -> Feedback:
    access.check_give_feedback(user, registration)
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"rating": rating, "useful_meetings": useful_meetings, "comment": comment},
    )
    return feedback


def feedback_requests(*, now) -> int:
    """Ask the participants of the events that have ended for their opinion, once each."""
    waiting = (
        Registration.objects.filter(
            status=RegistrationStatus.APPROVED,
            # An erased person is asked nothing.
            user__isnull=False,
            event__ends_at__lt=now,
            feedback_asked_at__isnull=True,
            feedback__isnull=True,
        )
        .select_related("event", "user")
        .order_by("event_id", "id")
    )
    asked = 0
    for registration in waiting:
        with transaction.atomic():
            registration.feedback_asked_at = now
            registration.save(update_fields=["feedback_asked_at"])
            event = registration.event
            send_on_commit(
                [registration.user.email],
                subject=f"{event.title} : votre avis",
                template="events/email/feedback.txt",
                context={
                    "event": event,
                    "link": absolute_url(reverse("events:feedback", args=[event.slug])),
                },
                category=MailCategory.EVENTS,
            )
        asked += 1
    return asked
