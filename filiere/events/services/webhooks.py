"""What the events tell the organisations' webhooks (docs/webhooks.md): a registration
approved, to the organiser and the registrant's firm; a schedule published, to the organiser
and the firms of the approved registrants."""

from django.urls import reverse

from filiere.accounts.notifications import absolute_url
from filiere.events.models import Event, Registration
from filiere.webhooks import payloads
from filiere.webhooks.enums import WebhookEvent
from filiere.webhooks.services import emit


def _event(event: Event) -> dict:
    return payloads.event(
        id=event.pk,
        slug=event.slug,
        title=event.title,
        starts_at=event.starts_at,
        link=absolute_url(reverse("events:detail", args=[event.slug])),
    )


def _firm_organisation(registration: Registration) -> int | None:
    unit = registration.legal_unit
    return unit.organisation_id if unit else None


def tell_approved(registration: Registration) -> None:
    event = registration.event
    unit = registration.legal_unit
    data = payloads.registration(
        id=registration.pk,
        status=registration.status,
        company=registration.company,
        siren=unit.siren if unit else "",
        event=_event(event),
    )
    organisations = [event.organiser_id, _firm_organisation(registration)]
    emit(WebhookEvent.REGISTRATION_APPROVED, data, organisations=organisations)


def tell_published(event: Event, approved, meetings: int) -> None:
    """``approved``: the event's approved registrations."""
    firms = [_firm_organisation(r) for r in approved.select_related("legal_unit")]
    data = payloads.schedule(
        event=_event(event),
        meetings=meetings,
        link=absolute_url(reverse("events:meetings", args=[event.slug])),
    )
    emit(WebhookEvent.SCHEDULE_PUBLISHED, data, organisations=[event.organiser_id, *firms])
