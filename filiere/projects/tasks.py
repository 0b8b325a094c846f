"""The catalogue's daily duty, for beat (the command send_aid_alerts does the same)."""

from celery import shared_task
from django.utils import timezone

from filiere.projects.services.catalogue import send_alerts


@shared_task
def send_aid_alerts() -> dict[str, int]:
    return send_alerts(now=timezone.now())
