"""E-mail notifications, each with a link to stop them (and the one-click List-Unsubscribe
headers), in plain text and HTML.

Transactional mails (confirming an address, a need's private link, an invitation, the answer
to what the person did) go whatever the choice; notifications (a new need for an office, a
reminder, a survey) are not sent to an address that unsubscribed, and each person chooses, per
category, to receive them at once, in a daily or weekly digest, or never.

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
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory, MailFrequency, MailStatus
from filiere.accounts.models import DigestEntry, EmailOptOut, NotificationPreference, OutgoingMail
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
    category: MailCategory,
) -> int:
    """Write one mail per address (each has its own unsubscribe link) to the outbox, in the
    current transaction; workers send them once it commits. A notification (any category
    but transactional) skips the addresses that unsubscribed, and follows each person's
    choice for its category: sent now, held for their daily or weekly digest, or not sent.
    Return how many were written, mails and digest entries."""
    addresses = sorted({a.strip().lower() for a in addresses if a and a.strip()})
    transactional = category == MailCategory.TRANSACTIONAL
    frequencies = {}
    if not transactional:
        addresses = _not_opted_out(addresses)
        frequencies = chosen_frequencies(addresses, category)
    mails, held = [], []
    for address in addresses:
        frequency = frequencies.get(address, MailFrequency.IMMEDIATE)
        if frequency == MailFrequency.NEVER:
            continue
        values = {**context, "transactional": transactional}
        if frequency == MailFrequency.IMMEDIATE:
            mails.append(
                compose(
                    address,
                    subject=subject,
                    template=template,
                    context=values,
                    transactional=transactional,
                )
            )
            continue
        held.append(
            DigestEntry(
                to=address,
                frequency=frequency,
                category=category,
                subject=mail_subject(subject),
                body=render_to_string(template, {**values, "html_part": True}).strip(),
                kind=template,
            )
        )
    queue_mails(mails)
    DigestEntry.objects.bulk_create(held)
    return len(mails) + len(held)


def _not_opted_out(addresses: list[str]) -> list[str]:
    opted_out = set(EmailOptOut.objects.filter(email__in=addresses).values_list("email", flat=True))
    return [a for a in addresses if a not in opted_out]


def chosen_frequencies(addresses: list[str], category: str) -> dict[str, str]:
    """Each address's chosen frequency for a category, for the addresses of people who chose
    one (the others receive the mail at once)."""
    return dict(
        NotificationPreference.objects.annotate(address=Lower("user__email"))
        .filter(address__in=addresses, category=category)
        .values_list("address", "frequency")
    )


def compose(
    address: str, *, subject: str, template: str, context: dict, transactional: bool
) -> OutgoingMail:
    """One mail of the outbox: its plain text from ``template``, its HTML part from the same
    text in the platform's mail layout (``accounts/email/base.html``), and, for a
    notification, its unsubscribe link in both and the one-click unsubscribe headers
    (RFC 8058)."""
    unsubscribe = absolute_url(reverse("accounts:unsubscribe", args=[unsubscribe_token(address)]))
    values = {
        **context,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("accounts:notifications")),
        "transactional": transactional,
    }
    subject = mail_subject(subject)
    content = render_to_string(template, {**values, "html_part": True})
    headers = {}
    if not transactional:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return OutgoingMail(
        to=address,
        subject=subject,
        body=render_to_string(template, values),
        html=render_to_string(
            "accounts/email/base.html", {**values, "subject": subject, "content": content}
        ),
        headers=headers,
        kind=template,
    )


def send_digests(frequency: str) -> int:
    """Write to the outbox one mail per person listing the notifications held for their
    digest of this frequency, and delete those entries, in one transaction (a digest that
    runs again, or at the same time, finds them gone). Return how many mails."""
    with transaction.atomic():
        entries = list(
            DigestEntry.objects.select_for_update()
            .filter(frequency=frequency)
            .order_by("to", "created_at", "id")
        )
        by_address: dict[str, list[DigestEntry]] = {}
        for entry in entries:
            by_address.setdefault(entry.to, []).append(entry)
        subject = (
            _("Votre résumé quotidien")
            if frequency == MailFrequency.DAILY
            else _("Votre résumé hebdomadaire")
        )
        mails = [
            compose(
                address,
                subject=subject,
                template="accounts/email/digest.txt",
                context={"entries": by_address[address]},
                transactional=False,
            )
            for address in _not_opted_out(list(by_address))
        ]
        DigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
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
