"""The support needs' daily duty, for beat (the command escalate_support_needs does the same)."""

from celery import shared_task
from django.utils import timezone

from filiere.support.services import escalate


@shared_task
def escalate_support_needs() -> dict[str, int]:
    return escalate(now=timezone.now())
