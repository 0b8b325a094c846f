"""The case file's background work: the reminders mailed on their day."""

from celery import shared_task


@shared_task
def send_reminders() -> int:
    """The daily duty (the command send_reminders does the same)."""
    from django.utils import timezone

    from filiere.casefile.services import reminders_send

    return reminders_send(day=timezone.localdate())
