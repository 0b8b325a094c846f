"""The columns of the support needs' list, for its page and its CSV export."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.support.enums import Subject, SupportStatus


def _offices(need) -> str:
    return ", ".join(str(office) for office in need.offices.all())


SUPPORT_NEEDS = (
    Column("enregistre_le", _("Enregistré le"), lambda need: need.created_at),
    Column(
        "entreprise",
        _("Entreprise"),
        lambda need: need.legal_unit.name,
        link=lambda need: reverse("support:detail", args=[need.pk]),
    ),
    Column("siren", _("SIREN"), lambda need: need.legal_unit.siren, on_page=False),
    Column("sujet", _("Sujet"), lambda need: need.subject, choices=Subject),
    Column("departement", _("Département"), lambda need: need.departement_code, on_page=False),
    Column("bureaux", _("Bureaux"), _offices),
    Column(
        "pris_par",
        _("Pris en charge par"),
        lambda need: str(need.taken_office or ""),
        on_page=False,
    ),
    Column("pris_le", _("Pris en charge le"), lambda need: need.taken_at, on_page=False),
    Column("etat", _("État"), lambda need: need.status, choices=SupportStatus),
    Column("clos_le", _("Clos le"), lambda need: need.closed_at, on_page=False),
    Column("satisfaction", _("Satisfaction"), lambda need: need.satisfaction, suffix="/5"),
    Column("demonstration", _("Démonstration"), lambda need: need.is_demo, on_page=False),
)
