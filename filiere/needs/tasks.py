"""The digitalisation needs' daily duty, for beat (the command escalate_needs does the same)."""

from celery import shared_task
from django.utils import timezone

from filiere.needs.services import escalate


@shared_task
def escalate_needs() -> dict[str, int]:
    return escalate(now=timezone.now())
