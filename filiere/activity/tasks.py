"""The offices' quarterly duty, for beat."""

from celery import shared_task
from django.utils import timezone

from filiere.activity.services import activity_mail_quarter


@shared_task
def send_quarterly_activity() -> int:
    return activity_mail_quarter(today=timezone.localdate())
