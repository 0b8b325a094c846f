"""The columns of the label requests' list, for the granting bodies' page and its CSV export."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.directory.enums import LabelRequestStatus, Route


def _person(user) -> str:
    return str(user) if user is not None else ""


LABEL_REQUESTS = (
    Column("demande_le", _("Demandé le"), lambda r: r.requested_at),
    Column(
        "entreprise",
        _("Entreprise"),
        lambda r: r.legal_unit.name,
        link=lambda r: reverse("directory:detail", args=[r.legal_unit.siren]),
    ),
    Column("siren", _("SIREN"), lambda r: r.legal_unit.siren, on_page=False),
    Column("label", _("Label"), lambda r: r.label.name),
    Column("accorde_par", _("Accordé par"), lambda r: str(r.label.granted_by or ""), on_page=False),
    Column("demande_par", _("Demandé par"), lambda r: _person(r.requested_by)),
    Column("message", _("Message de l'entreprise"), lambda r: r.note),
    Column("etat", _("État"), lambda r: r.status, choices=LabelRequestStatus),
    # The page shows the decision and the withdrawal in one cell, beside their forms.
    Column("decide_le", _("Décidé le"), lambda r: r.decided_at, on_page=False),
    Column("decide_par", _("Décidé par"), lambda r: _person(r.decided_by), on_page=False),
    Column("motif", _("Motif"), lambda r: r.reason, on_page=False),
    Column("retire_le", _("Retiré le"), lambda r: r.withdrawn_at, on_page=False),
    Column("retire_par", _("Retiré par"), lambda r: _person(r.withdrawn_by), on_page=False),
    Column("motif_retrait", _("Motif du retrait"), lambda r: r.withdrawal_reason, on_page=False),
    Column(
        "entreprise_prevenue",
        _("Entreprise prévenue"),
        lambda r: r.firm_told,
        choices=Route,
        on_page=False,
    ),
    Column("demonstration", _("Démonstration"), lambda r: r.is_demo, on_page=False),
)
