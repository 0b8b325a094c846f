"""The writes of the case file: notes, reminders, and the reminders' mail on their day."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import MailCategory
from filiere.accounts.models import Organisation
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.casefile.access import check_see_case_file
from filiere.casefile.enums import Visibility
from filiere.casefile.models import CaseNote, Reminder
from filiere.directory.models import LegalUnit


@transaction.atomic
def note_add(
    *, user, unit: LegalUnit, text: str, visibility: str, organisation: Organisation | None
) -> CaseNote:
    """A note for the author's organisation (``organisation``) or for every partner."""
    check_see_case_file(user, unit)
    return CaseNote.objects.create(
        legal_unit=unit,
        author=user,
        organisation=organisation,
        visibility=visibility if organisation is not None else Visibility.PARTNERS,
        text=text,
        at=timezone.now(),
    )


@transaction.atomic
def reminder_add(*, user, unit: LegalUnit, due_on: date, text: str) -> Reminder:
    check_see_case_file(user, unit)
    return Reminder.objects.create(
        legal_unit=unit, owner=user, due_on=due_on, text=text, created_at=timezone.now()
    )


@transaction.atomic
def reminder_mark(*, reminder: Reminder, done: bool) -> Reminder:
    """Done, or not done after all (it shows again on the owner's home from its day)."""
    reminder.done_at = timezone.now() if done else None
    reminder.save(update_fields=["done_at"])
    return reminder


def reminders_send(*, day: date) -> int:
    """Mail each owner the reminders due that day (or missed before) not yet done, once each.
    Return how many were mailed."""
    due = (
        Reminder.objects.due_on(day)
        .filter(mailed_at__isnull=True)
        .select_related("legal_unit", "owner")
        .order_by("due_on", "id")
    )
    sent = 0
    for reminder in due:
        with transaction.atomic():
            reminder.mailed_at = timezone.now()
            reminder.save(update_fields=["mailed_at"])
            unit = reminder.legal_unit
            send_on_commit(
                [reminder.owner.email],
                subject=f"Rappel : {unit.name}",
                template="casefile/email/reminder.txt",
                context={
                    "reminder": reminder,
                    "unit": unit,
                    "link": absolute_url(reverse("casefile:detail", args=[unit.siren])),
                },
                category=MailCategory.REMINDERS,
            )
        sent += 1
    return sent
