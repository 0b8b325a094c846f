"""The accounts' background work: sending the outbox's mails, and its periodic sweeps."""

from celery import shared_task
from django.utils import timezone

from filiere.accounts import notifications
from filiere.accounts.enums import MailFrequency

# Tries of one mail, the first included, spaced 10 s, 20 s, 40 s… up to 10 minutes.
MAIL_RETRIES = 6


@shared_task(
    bind=True,
    autoretry_for=(notifications.TransientMailError,),
    max_retries=MAIL_RETRIES - 1,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
)
def send_mail(self, mail_id: int) -> str:
    return notifications.deliver(mail_id, last_try=self.request.retries >= self.max_retries)


@shared_task
def resend_waiting_mails() -> int:
    """Hand to a worker again the mails no worker took (the broker was unreachable when they
    were written, or their worker stopped before sending them)."""
    waiting = notifications.waiting_mails(timezone.now())
    for mail_id in waiting:
        send_mail.delay(mail_id)
    return len(waiting)


@shared_task
def purge_sent_mails() -> int:
    return notifications.purge_sent_mails(timezone.now())


@shared_task
def send_daily_digests() -> int:
    return notifications.send_digests(MailFrequency.DAILY)


@shared_task
def send_weekly_digests() -> int:
    return notifications.send_digests(MailFrequency.WEEKLY)
