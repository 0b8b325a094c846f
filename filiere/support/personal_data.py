"""What the support flow holds about a person: the needs they recorded or took, those they are
the contact person of, the notes and the lines of the needs' history they wrote."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.support.models import SupportEvent, SupportNeed, SupportNote

NEEDS = (
    Column("entreprise", _("Entreprise"), lambda need: need.legal_unit.name),
    Column("sujet", _("Sujet"), lambda need: str(need.get_subject_display())),
    Column("description", _("Description"), lambda need: need.description),
    Column("enregistre_le", _("Enregistré le"), lambda need: need.created_at),
    Column("etat", _("État"), lambda need: str(need.get_status_display())),
)
TAKEN = (
    Column("entreprise", _("Entreprise"), lambda need: need.legal_unit.name),
    Column("sujet", _("Sujet"), lambda need: str(need.get_subject_display())),
    Column("pris_le", _("Pris en charge le"), lambda need: need.taken_at),
    Column("etat", _("État"), lambda need: str(need.get_status_display())),
)
CONTACT = (
    Column("entreprise", _("Entreprise"), lambda need: need.legal_unit.name),
    Column("sujet", _("Sujet"), lambda need: str(need.get_subject_display())),
    Column("contact", _("Personne à contacter"), lambda need: need.contact_name),
    Column("email", _("E-mail"), lambda need: need.contact_email),
    Column("telephone", _("Téléphone"), lambda need: need.contact_phone),
)
NOTES = (
    Column("entreprise", _("Entreprise"), lambda note: note.need.legal_unit.name),
    Column("date", _("Date"), lambda note: note.at),
    Column("nature", _("Nature"), lambda note: str(note.get_kind_display())),
    Column("note", _("Note"), lambda note: note.text),
)
HISTORY = (
    Column("entreprise", _("Entreprise"), lambda event: event.need.legal_unit.name),
    Column("date", _("Date"), lambda event: event.at),
    Column("action", _("Action"), lambda event: str(event.get_kind_display())),
    Column("etat", _("État"), lambda event: str(event.get_status_display())),
    Column("note", _("Note"), lambda event: event.note),
)


def export(user) -> list[Section]:
    return [
        Section(
            "accompagnements_enregistres",
            _("Besoins d'accompagnement enregistrés"),
            NEEDS,
            SupportNeed.objects.filter(recorded_by=user)
            .select_related("legal_unit")
            .order_by("pk"),
        ),
        Section(
            "accompagnements_pris",
            _("Besoins d'accompagnement pris en charge"),
            TAKEN,
            SupportNeed.objects.filter(taken_by=user).select_related("legal_unit").order_by("pk"),
        ),
        Section(
            "accompagnements_contact",
            _("Besoins d'accompagnement dont vous êtes la personne à contacter"),
            CONTACT,
            SupportNeed.objects.filter(contact_email__iexact=user.email)
            .select_related("legal_unit")
            .order_by("pk"),
        ),
        Section(
            "notes_accompagnements",
            _("Notes sur des besoins d'accompagnement"),
            NOTES,
            SupportNote.objects.filter(author=user)
            .select_related("need__legal_unit")
            .order_by("pk"),
        ),
        Section(
            "historique_accompagnements",
            _("Lignes d'historique des accompagnements"),
            HISTORY,
            SupportEvent.objects.filter(user=user)
            .select_related("need__legal_unit")
            .order_by("pk"),
        ),
    ]


def erase(user) -> None:
    # A support need is the firm's and the offices' case: it stays, and a need taken stays
    # with the office that took it (its other advisers carry on); only the person's name goes.
    SupportNeed.objects.filter(recorded_by=user).update(recorded_by=None)
    SupportNeed.objects.filter(taken_by=user).update(taken_by=None)
    # The firm's case stays; the way to reach the person goes.
    SupportNeed.objects.filter(contact_email__iexact=user.email).update(
        contact_name="", contact_email="", contact_phone=""
    )
    # The notes are the need's record: they stay, unsigned.
    SupportNote.objects.filter(author=user).update(author=None)
    # The history is the need's record (and the escalation's delays): its lines stay, unsigned.
    SupportEvent.objects.filter(user=user).update(user=None)


register(
    "support",
    models={SupportNeed: Erasure.KEPT, SupportEvent: Erasure.KEPT, SupportNote: Erasure.KEPT},
    export=export,
    erase=erase,
)
