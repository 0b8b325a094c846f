"""The columns of the needs flow's lists: the advisers' needs and an invitation list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.needs.enums import BudgetBand, Domain, NeedStatus

# No contact details: the export goes to spreadsheets beyond the platform's erasure.
ADVISER_NEEDS = (
    Column("depose_le", _("Déposé le"), lambda need: need.created_at),
    Column(
        "entreprise",
        _("Entreprise"),
        lambda need: need.company_name,
        link=lambda need: reverse("needs:adviser_detail", args=[need.pk]),
    ),
    Column("en_creation", _("En création"), lambda need: need.is_creator, on_page=False),
    Column("domaine", _("Domaine"), lambda need: need.domain, choices=Domain),
    Column("budget", _("Budget"), lambda need: need.budget, choices=BudgetBand, on_page=False),
    Column("echeance", _("Échéance"), lambda need: need.deadline, on_page=False),
    Column("commune", _("Commune"), lambda need: need.commune.name),
    Column("departement", _("Département"), lambda need: need.departement_code, on_page=False),
    Column("campagne", _("Campagne"), lambda need: need.campaign),
    Column("recu_le", _("Reçu le"), lambda need: need.received_at, on_page=False),
    Column(
        "reoriente_vers",
        _("Réorienté vers"),
        lambda need: str(need.redirected_to or ""),
        on_page=False,
    ),
    Column("etat", _("État"), lambda need: need.status, choices=NeedStatus),
    Column("pris_par", _("Pris en charge par"), lambda need: str(need.taken_office or "")),
    Column("pris_le", _("Pris en charge le"), lambda need: need.taken_at, on_page=False),
    Column("contacts_demandes", _("Contacts demandés"), lambda need: need.contacts),
    Column("acceptes", _("Acceptés"), lambda need: need.accepted),
    Column("demonstration", _("Démonstration"), lambda need: need.is_demo, on_page=False),
)

INVITATION_ENTRIES = (
    Column("siren", _("SIREN"), lambda entry: entry.legal_unit.siren),
    Column("entreprise", _("Entreprise"), lambda entry: entry.legal_unit.name),
    Column("besoin", _("Besoin"), lambda entry: entry.need.company_name if entry.need else ""),
    Column("ajoutée le", _("Ajoutée le"), lambda entry: entry.added_at),
)
