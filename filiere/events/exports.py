"""The columns of a delegation's export (a show's or a mission's selected firms)."""

from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.events.enums import RegistrationStatus

DELEGATION = (
    Column("entreprise", _("Entreprise"), lambda registration: registration.company),
    Column("contact", _("Contact"), lambda registration: registration.email),
    Column(
        "etat",
        _("État"),
        lambda registration: registration.status,
        choices=RegistrationStatus,
    ),
    Column(
        "reste_a_charge_eur", _("Reste à charge"), lambda registration: registration.cost_share_eur
    ),
    Column("motif", _("Motif"), lambda registration: registration.decision_note),
)
