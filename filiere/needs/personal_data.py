"""What the needs flow holds about a person: the needs they posted while signed in, those
they qualified or took as an adviser, the notes they wrote, the invitation lists they made."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.needs.models import InvitationList, Need, NeedNote
from filiere.needs.services import need_erase

POSTED = (
    Column("entreprise", _("Entreprise"), lambda need: need.company_name),
    Column("siret", _("SIRET"), lambda need: need.siret),
    Column("besoin", _("Besoin"), lambda need: need.text),
    Column("contact", _("Contact"), lambda need: need.contact_name),
    Column("email", _("E-mail"), lambda need: need.contact_email),
    Column("telephone", _("Téléphone"), lambda need: need.contact_phone),
    Column("etat", _("État"), lambda need: str(need.get_status_display())),
    Column("depose_le", _("Déposé le"), lambda need: need.created_at),
)
QUALIFIED = (
    Column("entreprise", _("Entreprise"), lambda need: need.company_name),
    Column("besoin", _("Besoin"), lambda need: need.text),
    Column("etat", _("État"), lambda need: str(need.get_status_display())),
)
TAKEN = (
    Column("entreprise", _("Entreprise"), lambda need: need.company_name),
    Column("pris_le", _("Pris en charge le"), lambda need: need.taken_at),
    Column("etat", _("État"), lambda need: str(need.get_status_display())),
)
NOTES = (
    Column("entreprise", _("Entreprise"), lambda note: note.need.company_name),
    Column("date", _("Date"), lambda note: note.at),
    Column("nature", _("Nature"), lambda note: str(note.get_kind_display())),
    Column("note", _("Note"), lambda note: note.text),
)
LISTS = (
    Column("nom", _("Nom"), lambda invitation_list: invitation_list.name),
    Column(
        "organisation", _("Organisation"), lambda invitation_list: str(invitation_list.organisation)
    ),
    Column("creee_le", _("Créée le"), lambda invitation_list: invitation_list.created_at),
)


def export(user) -> list[Section]:
    return [
        Section(
            "besoins_numeriques",
            _("Besoins numériques déposés"),
            POSTED,
            Need.objects.filter(user=user).order_by("pk"),
        ),
        Section(
            "besoins_qualifies",
            _("Besoins numériques qualifiés"),
            QUALIFIED,
            Need.objects.filter(qualified_by=user).order_by("pk"),
        ),
        Section(
            "besoins_pris_en_charge",
            _("Besoins numériques pris en charge"),
            TAKEN,
            Need.objects.filter(taken_by=user).order_by("pk"),
        ),
        Section(
            "notes_besoins",
            _("Notes sur des besoins numériques"),
            NOTES,
            NeedNote.objects.filter(author=user).select_related("need").order_by("pk"),
        ),
        Section(
            "listes_invitation",
            _("Listes d'invitation créées"),
            LISTS,
            InvitationList.objects.filter(created_by=user)
            .select_related("organisation")
            .order_by("pk"),
        ),
    ]


def erase(user) -> None:
    # A posted need stays, closed, for the statistics and the providers' matches; its contact
    # details go (need_erase, as when its poster erases it from its private page).
    for need in Need.objects.filter(user=user):
        need_erase(need=need)
    # The adviser's qualification and notes are the need's record: they stay, unsigned; a need
    # taken stays with the office that took it.
    Need.objects.filter(qualified_by=user).update(qualified_by=None)
    Need.objects.filter(taken_by=user).update(taken_by=None)
    NeedNote.objects.filter(author=user).update(author=None)
    # An invitation list is the organisation's, used for its events: it stays, unsigned.
    InvitationList.objects.filter(created_by=user).update(created_by=None)


register(
    "needs",
    models={Need: Erasure.KEPT, NeedNote: Erasure.KEPT, InvitationList: Erasure.KEPT},
    export=export,
    erase=erase,
)
