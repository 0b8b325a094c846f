"""E-mail notifications, each with a link to stop them (and a List-Unsubscribe header).

Transactional mails (confirming an address, a need's private link) go whatever
the choice; notifications (a new need for an office, a reminder, a survey) are
not sent to an address that unsubscribed.

No mail leaves from a request: each is written to the outbox (``OutgoingMail``) in the
transaction of what it tells, and a worker sends it (``accounts.tasks.send_mail``), tries
again with a growing delay while the mail server refuses, and keeps it as failed, with the
reason, when it never could.
"""

import logging
import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import MailStatus
from filiere.accounts.models import EmailOptOut, OutgoingMail
from filiere.common.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

_SALT = "filiere.unsubscribe"
# A subject is one line: any run of spaces, tabs and line breaks (\r, \n, Unicode separators)
# in the user text it carries becomes one space.
_BLANKS = re.compile(r"\s+")
SUBJECT_LENGTH = 150
_muted: ContextVar[bool] = ContextVar("filiere_notifications_muted", default=False)


@contextmanager
def notifications_muted() -> Iterator[None]:
    """Send nothing while generating data (the demo loaders go through the real services)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=_SALT)


def email_from_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None


def mail_subject(text: str) -> str:
    """The platform's subject line for a text that may come from users (a firm's name, a
    project's title): on one line, at most ``SUBJECT_LENGTH`` characters."""
    subject = _BLANKS.sub(" ", f"[Filière] {text}").strip()
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return subject


def send_mail_to(
    addresses: list[str],
    *,
    subject: str,
    template: str,
    context: dict,
    transactional: bool = False,
) -> int:
    """Write one mail per address (each has its own unsubscribe link) to the outbox, in the
    current transaction; workers send them once it commits. Return how many were written."""
    addresses = sorted({a.strip().lower() for a in addresses if a and a.strip()})
    if not transactional:
        opted_out = set(
            EmailOptOut.objects.filter(email__in=addresses).values_list("email", flat=True)
        )
        addresses = [a for a in addresses if a not in opted_out]
    mails = []
    for address in addresses:
        unsubscribe = absolute_url(
            reverse("accounts:unsubscribe", args=[unsubscribe_token(address)])
        )
        body = render_to_string(
            template,
            {**context, "unsubscribe_url": unsubscribe, "transactional": transactional},
        )
        mails.append(
            OutgoingMail(
                to=address,
                subject=mail_subject(subject),
                body=body,
                headers={"List-Unsubscribe": f"<{unsubscribe}>"},
                kind=template,
            )
        )
    queue_mails(mails)
    return len(mails)


def queue_mails(mails: list[OutgoingMail]) -> None:
    """Save mails to the outbox and have a worker send each once the transaction commits.

    A mail whose task cannot be enqueued (the broker is unreachable) stays in the outbox,
    waiting: the periodic ``resend_waiting_mails`` hands it to a worker later."""
    from filiere.accounts.tasks import send_mail

    for mail in mails:
        mail.save()
        enqueue_on_commit(send_mail, mail.pk)


class TransientMailError(Exception):
    """The mail server could not take a mail now (refused, unreachable): try again later."""


def deliver(mail_id: int, *, last_try: bool) -> str:
    """Send one mail of the outbox, once: a mail already sent, or being sent by another
    worker, is left alone. A failure the server may recover from raises
    ``TransientMailError`` (the task tries again later) unless it is the last try; the mail
    is then kept as failed, with the reason, and logged as an error."""
    now = timezone.now()
    taken = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.PENDING).update(
        status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        if last_try:
            OutgoingMail.objects.filter(pk=mail_id).update(
                status=MailStatus.FAILED, last_error=error
            )
            logger.error("Mail %s to %s not sent: %s", mail_id, mail.to, error)
            return "failed"
        OutgoingMail.objects.filter(pk=mail_id).update(status=MailStatus.PENDING, last_error=error)
        raise TransientMailError(error) from exc
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


# A mail still waiting this long was never handed to a worker (the broker was unreachable);
# one taken this long ago by a worker that stopped before sending it is sent again.
WAITING = timedelta(minutes=5)
TAKEN = timedelta(minutes=15)
# Sent mails are kept this long (what went to whom, for the back office), then deleted.
KEPT = timedelta(days=30)


def waiting_mails(now) -> list[int]:
    """The mails to hand to a worker again: waiting too long, or taken by a stopped worker."""
    OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - TAKEN).update(
        status=MailStatus.PENDING
    )
    return list(
        OutgoingMail.objects.filter(
            status=MailStatus.PENDING, created_at__lt=now - WAITING
        ).values_list("pk", flat=True)
    )


def mails_send_again(*, ids: list[int]) -> int:
    """Hand failed mails to a worker again (from the back office, once the server is back)."""
    failed = OutgoingMail.objects.filter(pk__in=ids, status=MailStatus.FAILED)
    again = list(failed.values_list("pk", flat=True))
    failed.update(status=MailStatus.PENDING, attempts=0)
    from filiere.accounts.tasks import send_mail

    for mail_id in again:
        enqueue_on_commit(send_mail, mail_id)
    return len(again)


def purge_sent_mails(now) -> int:
    deleted, _by_model = OutgoingMail.objects.filter(
        status=MailStatus.SENT, sent_at__lt=now - KEPT
    ).delete()
    return deleted


class NoRecipient(RuntimeError):
    """A notification was given no address: someone who should know will not (the rules of who
    receives what are in ``directory.recipients``)."""


def send_on_commit(addresses: list[str], **message) -> None:
    """Send once the current transaction commits (nothing is sent for a rolled-back write:
    the mails are written to the outbox in that transaction).

    A notification with no address at all is never dropped in silence: it is logged as an
    error, and raises :class:`NoRecipient` where ``FILIERE_NOTIFICATIONS_STRICT`` is set (the
    tests)."""
    if _muted.get():
        return
    if not any(a and a.strip() for a in addresses):
        if settings.FILIERE_NOTIFICATIONS_STRICT:
            raise NoRecipient(f"{message.get('template')}: {message.get('subject')}")
        logger.error("Notification without a recipient: %s", message.get("template"))
        return
    send_mail_to(addresses, **message)
