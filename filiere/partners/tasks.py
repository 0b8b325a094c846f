"""The partners' periodic duty: the call log purged after some months."""

from celery import shared_task
from django.utils import timezone

from filiere.partners import services


@shared_task
def purge_api_calls() -> int:
    return services.calls_purge(now=timezone.now())
