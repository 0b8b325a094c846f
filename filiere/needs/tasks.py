"""The needs' background work: the daily duty, for beat (the command escalate_needs does the
same), and building the providers' index again."""

from celery import shared_task
from django.utils import timezone

from filiere.needs.adapters import rebuild_providers
from filiere.needs.services import escalate


@shared_task
def escalate_needs() -> dict[str, int]:
    return escalate(now=timezone.now())


@shared_task
def rebuild_providers_index(*, requested_at: str | None = None) -> None:
    """Build the matching index of the published offers, unless a build started since
    ``requested_at`` (repeated, it builds once)."""
    rebuild_providers(requested_at=requested_at)
