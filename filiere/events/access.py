"""Who may do what with events: organisers (partners of the organising body) run them;
a registered person manages their own registration and meeting requests."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import partner_organisation_ids
from filiere.events.models import Event, Registration


def can_organise(user, event: Event) -> bool:
    return user.is_staff or event.organiser_id in partner_organisation_ids(user)


def access_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("organiser"), slug=slug)


def access_event_as_organiser(user, slug: str) -> Event:
    event = access_event(slug)
    if not can_organise(user, event):
        raise PermissionDenied
    return event


def own_registration(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()
