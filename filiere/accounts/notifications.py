"""E-mail notifications, each with a link to stop them (and a List-Unsubscribe header).

Transactional mails (confirming an address, a need's private link) go whatever
the choice; notifications (a new need for an office, a reminder, a survey) are
not sent to an address that unsubscribed.
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from filiere.accounts.models import EmailOptOut

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
    """Send one mail per address (each has its own unsubscribe link); return how many went.

    A mail that cannot go is logged and the others still go: what the mail tells of is
    already saved and stays so."""
    addresses = sorted({a.strip().lower() for a in addresses if a and a.strip()})
    if not transactional:
        opted_out = set(
            EmailOptOut.objects.filter(email__in=addresses).values_list("email", flat=True)
        )
        addresses = [a for a in addresses if a not in opted_out]
    sent = 0
    for address in addresses:
        unsubscribe = absolute_url(
            reverse("accounts:unsubscribe", args=[unsubscribe_token(address)])
        )
        body = render_to_string(
            template,
            {**context, "unsubscribe_url": unsubscribe, "transactional": transactional},
        )
        message = EmailMessage(
            subject=mail_subject(subject),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        )
        try:
            sent += message.send()
        except Exception:
            logger.exception("Mail not sent to %s (%s)", address, template)
    return sent


class NoRecipient(RuntimeError):
    """A notification was given no address: someone who should know will not (the rules of who
    receives what are in ``directory.recipients``)."""


def send_on_commit(addresses: list[str], **message) -> None:
    """Send once the current transaction commits (nothing is sent for a rolled-back write).

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
    # robust: a mail that fails after the commit is logged; it never turns a saved action
    # into an error page.
    transaction.on_commit(lambda: send_mail_to(addresses, **message), robust=True)
