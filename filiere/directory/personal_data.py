"""What the directory holds about a person: the contact entries linked to their account, the
label requests they made, decided or withdrew."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.directory.models import Contact, LabelRequest

CONTACTS = (
    Column("entreprise", _("Entreprise"), lambda contact: contact.legal_unit.name),
    Column("nom", _("Nom"), lambda contact: contact.full_name),
    Column("fonction", _("Fonction"), lambda contact: contact.role),
    Column("email", _("E-mail"), lambda contact: contact.email),
    Column("telephone", _("Téléphone"), lambda contact: contact.phone),
    Column("consentement_le", _("Consentement le"), lambda contact: contact.consent_on),
)


def _label_columns(user) -> tuple[Column, ...]:
    return (
        Column("entreprise", _("Entreprise"), lambda r: r.legal_unit.name),
        Column("label", _("Label"), lambda r: r.label.name),
        Column("etat", _("État"), lambda r: str(r.get_status_display())),
        Column("demande_par_vous", _("Demandé par vous"), lambda r: r.requested_by_id == user.pk),
        Column("demande_le", _("Demandé le"), lambda r: r.requested_at),
        Column("message", _("Message de l'entreprise"), lambda r: r.note),
        Column("decide_par_vous", _("Décidé par vous"), lambda r: r.decided_by_id == user.pk),
        Column("decide_le", _("Décidé le"), lambda r: r.decided_at),
        Column("motif", _("Motif"), lambda r: r.reason),
        Column("retire_par_vous", _("Retiré par vous"), lambda r: r.withdrawn_by_id == user.pk),
        Column("retire_le", _("Retiré le"), lambda r: r.withdrawn_at),
        Column("motif_du_retrait", _("Motif du retrait"), lambda r: r.withdrawal_reason),
    )


def export(user) -> list[Section]:
    contacts = Contact.objects.filter(user=user).select_related("legal_unit").order_by("pk")
    requests = (
        LabelRequest.objects.filter(
            Q(requested_by=user) | Q(decided_by=user) | Q(withdrawn_by=user)
        )
        .select_related("legal_unit", "label")
        .order_by("pk")
    )
    return [
        Section("contacts_annuaire", _("Vos coordonnées dans l'annuaire"), CONTACTS, contacts),
        Section("demandes_de_label", _("Demandes de label"), _label_columns(user), requests),
    ]


def erase(user) -> None:
    # A contact entry is the person's own details, published with their consent: it goes
    # with them (the firm keeps its other contacts and its public contact address).
    Contact.objects.filter(user=user).delete()
    # A label request is the firm's record and the granting body's decision: it stays, the
    # person's links set to NULL by their foreign keys.


register(
    "directory",
    models={Contact: Erasure.DELETED, LabelRequest: Erasure.KEPT},
    export=export,
    erase=erase,
)
