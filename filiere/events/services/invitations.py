"""Invitations: an organiser invites the firms of one of their invitation lists."""

from django.db import transaction
from django.urls import reverse

from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import member_emails
from filiere.events import access
from filiere.events.models import Event, Invitation


def invite_list(*, user, event: Event, invitation_list) -> tuple[int, int]:
    """Invite the firms of an adviser's list: their members and their contacts who consented
    to be reached. Each firm once per event; returns (firms invited, addresses written to)."""
    access.check_invite(user, event, invitation_list)
    already = set(event.invitations.values_list("legal_unit_id", flat=True))
    link = absolute_url(reverse("events:detail", args=[event.slug]))
    firms = addresses = 0
    for entry in invitation_list.entries.select_related("legal_unit"):
        unit = entry.legal_unit
        if unit.pk in already:
            continue
        emails = set(member_emails([unit.organisation_id])) if unit.organisation_id else set()
        emails |= {c.email for c in unit.contacts.all() if c.email}
        with transaction.atomic():
            Invitation.objects.create(event=event, legal_unit=unit, recipients=len(emails))
            send_on_commit(
                sorted(emails),
                subject=f"Invitation : {event.title}",
                template="events/email/invitation.txt",
                context={"event": event, "firm": unit, "link": link},
            )
        firms += 1
        addresses += len(emails)
    return firms, addresses
