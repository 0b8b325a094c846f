"""What the case file holds about a person: the internal notes they wrote and their reminders."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.casefile.models import CaseNote, Reminder
from filiere.common.exports import Column

NOTES = (
    Column("entreprise", _("Entreprise"), lambda note: note.legal_unit.name),
    Column("date", _("Date"), lambda note: note.at),
    Column("visible_par", _("Visible par"), lambda note: str(note.get_visibility_display())),
    Column("note", _("Note"), lambda note: note.text),
)
REMINDERS = (
    Column("entreprise", _("Entreprise"), lambda reminder: reminder.legal_unit.name),
    Column("date", _("Date"), lambda reminder: reminder.due_on),
    Column("rappel", _("Rappel"), lambda reminder: reminder.text),
    Column("fait_le", _("Fait le"), lambda reminder: reminder.done_at),
)


def export(user) -> list[Section]:
    return [
        Section(
            "notes_dossiers",
            _("Notes internes sur des entreprises"),
            NOTES,
            CaseNote.objects.filter(author=user).select_related("legal_unit").order_by("pk"),
        ),
        Section(
            "rappels",
            _("Rappels"),
            REMINDERS,
            Reminder.objects.filter(owner=user).select_related("legal_unit").order_by("pk"),
        ),
    ]


def erase(user) -> None:
    # A note is what its organisation (or every partner) knows of the firm: it stays,
    # unsigned. A reminder is its owner's alone.
    CaseNote.objects.filter(author=user).update(author=None)
    Reminder.objects.filter(owner=user).delete()


register(
    "casefile",
    models={CaseNote: Erasure.KEPT, Reminder: Erasure.DELETED},
    export=export,
    erase=erase,
)
