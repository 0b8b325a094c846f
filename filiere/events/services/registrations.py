"""Registrations: a person registers (or applies), the organiser decides, the person cancels
and the waiting list moves up."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.common.refusals import Refused
from filiere.events import access
from filiere.events.enums import RegistrationStatus
from filiere.events.models import Event, Meeting, Registration, Slot
from filiere.events.services.webhooks import tell_approved


def _seats_left(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = event.registrations.filter(status=RegistrationStatus.APPROVED).count()
    return taken < event.capacity


def _event_slots(event: Event, slots: Iterable[Slot | int]) -> list[Slot]:
    """The event's slots among ``slots`` (objects or ids); any other one is refused."""
    wanted = {getattr(slot, "pk", slot) for slot in slots}
    found = list(event.slots.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise Refused(
            "events.unknown_slot",
            _("Choisissez parmi les créneaux de l'événement."),
            field="unavailable",
        )
    return found


@transaction.atomic
def register(
    *,
    event: Event,
    user,
    company: str,
    offer: str = "",
    seek: str = "",
    max_meetings: int | None = None,
    motivation: str = "",
    legal_unit=None,
    unavailable: Iterable[Slot | int] = (),
    now=None,
) -> Registration:
    """A registration, with the slots the person cannot attend: approved while seats are left,
    on the waiting list after, or awaiting the organiser's decision (an application). Only
    while the event is open at ``now`` (the clock's time; the demo tells its own)."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # one seat count at a time
    access.check_register(user, event, now)
    slots = _event_slots(event, unavailable)
    if event.requires_approval or event.selects_delegation:
        status = RegistrationStatus.PENDING
    else:
        status = (
            RegistrationStatus.APPROVED if _seats_left(event) else RegistrationStatus.WAITLISTED
        )
    registration = Registration.objects.create(
        event=event,
        user=user,
        company=company,
        offer=offer,
        seek=seek,
        max_meetings=max_meetings,
        motivation=motivation,
        legal_unit=legal_unit,
        status=status,
    )
    registration.unavailable.set(slots)
    if status == RegistrationStatus.APPROVED:
        tell_approved(registration)
    return registration


@transaction.atomic
def registration_decide(
    *,
    user,
    registration: Registration,
    approve: bool,
    note: str = "",
    cost_share_eur=None,
) -> Registration:
    """Approve (a seat if one is left, the waiting list otherwise) or refuse, with the reason
    and, for a delegation, what the firm pays."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    registration.event = event
    access.check_decide(user, registration)
    if not approve:
        registration.status = RegistrationStatus.REFUSED
    elif _seats_left(event):
        registration.status = RegistrationStatus.APPROVED
    else:
        registration.status = RegistrationStatus.WAITLISTED
    registration.decision_note = note
    registration.cost_share_eur = cost_share_eur
    registration.save(update_fields=["status", "decision_note", "cost_share_eur"])
    link = absolute_url(reverse("events:detail", args=[event.slug]))
    send_on_commit(
        [registration.email],
        subject=f"{event.title} : {registration.get_status_display()}",
        template="events/email/decision.txt",
        context={"registration": registration, "event": event, "link": link},
        category=MailCategory.TRANSACTIONAL,
    )
    if registration.status == RegistrationStatus.APPROVED:
        tell_approved(registration)
    return registration


@transaction.atomic
def registration_cancel(*, user, registration: Registration) -> Registration | None:
    """Cancel; the person's meetings go, and the first on the waiting list takes the seat."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    registration.event = event
    access.check_cancel(user, registration)
    was_approved = registration.status == RegistrationStatus.APPROVED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    Meeting.objects.filter(
        Q(request__requester=registration) | Q(request__target=registration)
    ).delete()
    if not was_approved:
        return None
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).first()
    if waiting and _seats_left(event):
        waiting.status = RegistrationStatus.APPROVED
        waiting.save(update_fields=["status"])
        tell_approved(waiting)
    return waiting
