"""Invitations: an organiser invites the firms of one of their invitation lists."""

from typing import NamedTuple

from django.db import transaction
from django.urls import reverse

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.directory.recipients import firm_mail_context, firm_recipients
from filiere.events import access
from filiere.events.models import Event, Invitation


class Invited(NamedTuple):
    firms: int
    addresses: int
    # The firms nobody could receive the invitation for: they stay uninvited, to invite later.
    unreached: list[str]


def invite_list(*, user, event: Event, invitation_list) -> Invited:
    """Invite the firms of an adviser's list: each as ``firm_recipients`` says (their members
    and the contacts who consented to be reached; else their contact address; else the
    partners of their territory, who pass it on). Each firm once per event."""
    access.check_invite(user, event, invitation_list)
    already = set(event.invitations.values_list("legal_unit_id", flat=True))
    link = absolute_url(reverse("events:detail", args=[event.slug]))
    firms = addresses = 0
    unreached = []
    entries = invitation_list.entries.select_related("legal_unit").prefetch_related(
        "legal_unit__contacts"
    )
    for entry in entries:
        unit = entry.legal_unit
        if unit.pk in already:
            continue
        recipients = firm_recipients(unit, contacts=True)
        if not recipients:
            unreached.append(unit.name)
            continue
        with transaction.atomic():
            Invitation.objects.create(
                event=event,
                legal_unit=unit,
                recipients=len(recipients.addresses),
                delivered_to=recipients.route,
            )
            send_on_commit(
                recipients.addresses,
                subject=f"Invitation : {event.title}"
                + (f" — {unit.name}" if recipients.relayed else ""),
                template="events/email/invitation.txt",
                context={"event": event, "link": link, **firm_mail_context(unit, recipients)},
                category=MailCategory.EVENTS,
            )
        firms += 1
        addresses += len(recipients.addresses)
    return Invited(firms, addresses, unreached)
