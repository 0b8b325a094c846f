"""What the programme holds about a person: the figures they recorded."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.programme.models import BudgetCommitment, Measurement, Payment

MEASUREMENTS = (
    Column("indicateur", _("Indicateur"), lambda m: m.indicator.code),
    Column("date", _("Date"), lambda m: m.measured_on),
    Column("valeur", _("Valeur"), lambda m: m.value),
    Column("commentaire", _("Commentaire"), lambda m: m.comment),
    Column("saisie_le", _("Saisie le"), lambda m: m.recorded_at),
)
COMMITMENTS = (
    Column("action", _("Action"), lambda c: c.action.code),
    Column("objet", _("Objet"), lambda c: c.label),
    Column("montant_eur", _("Montant (€)"), lambda c: c.amount_eur),
    Column("saisi_le", _("Saisi le"), lambda c: c.recorded_at),
)
PAYMENTS = (
    Column("engagement", _("Engagement"), lambda p: p.commitment.label),
    Column("montant_eur", _("Montant (€)"), lambda p: p.amount_eur),
    Column("saisi_le", _("Saisi le"), lambda p: p.recorded_at),
)


def export(user) -> list[Section]:
    return [
        Section(
            "mesures_saisies",
            _("Mesures d'indicateurs saisies"),
            MEASUREMENTS,
            Measurement.objects.filter(recorded_by=user).select_related("indicator").order_by("pk"),
        ),
        Section(
            "engagements_saisis",
            _("Engagements budgétaires saisis"),
            COMMITMENTS,
            BudgetCommitment.objects.filter(recorded_by=user)
            .select_related("action")
            .order_by("pk"),
        ),
        Section(
            "paiements_saisis",
            _("Paiements saisis"),
            PAYMENTS,
            Payment.objects.filter(recorded_by=user).select_related("commitment").order_by("pk"),
        ),
    ]


def erase(user) -> None:
    # The figures are the contract's record (its indicators, its budget): they stay, unsigned.
    for model in (Measurement, BudgetCommitment, Payment):
        model.objects.filter(recorded_by=user).update(recorded_by=None)


register(
    "programme",
    models={
        Measurement: Erasure.KEPT,
        BudgetCommitment: Erasure.KEPT,
        Payment: Erasure.KEPT,
    },
    export=export,
    erase=erase,
)
