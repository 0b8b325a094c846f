"""What the directory holds about a person: the contact entries linked to their account."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.directory.models import Contact

CONTACTS = (
    Column("entreprise", _("Entreprise"), lambda contact: contact.legal_unit.name),
    Column("nom", _("Nom"), lambda contact: contact.full_name),
    Column("fonction", _("Fonction"), lambda contact: contact.role),
    Column("email", _("E-mail"), lambda contact: contact.email),
    Column("telephone", _("Téléphone"), lambda contact: contact.phone),
    Column("consentement_le", _("Consentement le"), lambda contact: contact.consent_on),
)


def export(user) -> list[Section]:
    contacts = Contact.objects.filter(user=user).select_related("legal_unit").order_by("pk")
    return [Section("contacts_annuaire", _("Vos coordonnées dans l'annuaire"), CONTACTS, contacts)]


def erase(user) -> None:
    # A contact entry is the person's own details, published with their consent: it goes
    # with them (the firm keeps its other contacts and its public contact address).
    Contact.objects.filter(user=user).delete()


register("directory", models={Contact: Erasure.DELETED}, export=export, erase=erase)
