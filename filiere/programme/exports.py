"""The columns of the contract's exports: its indicators and its budget per action."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.common.templatetags.filiere import STATUS_LABELS
from filiere.programme.models import Action
from filiere.programme.selectors import BudgetLine, IndicatorRow


def _progress(row: IndicatorRow) -> Decimal | None:
    progress = row.assessment.progress
    return round(Decimal(str(progress)), 4) if progress is not None else None


def _latest(row: IndicatorRow, attribute: str):
    latest = row.assessment.latest
    return getattr(latest, attribute) if latest else None


INDICATORS = (
    Column("code", _("Code"), lambda row: row.indicator.code),
    Column("indicateur", _("Indicateur"), lambda row: row.indicator.name),
    Column("unite", _("Unité"), lambda row: row.indicator.unit),
    Column(
        "action",
        _("Action"),
        lambda row: row.indicator.action.code if row.indicator.action else "",
    ),
    Column("reference", _("Référence"), lambda row: row.indicator.baseline_value),
    Column("date_reference", _("Date de référence"), lambda row: row.indicator.baseline_date),
    Column("cible", _("Cible"), lambda row: row.target),
    Column("echeance", _("Échéance"), lambda row: row.indicator.deadline),
    Column("derniere_valeur", _("Dernière valeur"), lambda row: _latest(row, "value")),
    Column("date_derniere_valeur", _("Date de la dernière valeur"), lambda row: _latest(row, "on")),
    Column("avancement", _("Avancement"), _progress),
    Column(
        "statut",
        _("Statut"),
        lambda row: row.assessment.status.value,
        choices=STATUS_LABELS,
    ),
    Column("demo", _("Démonstration"), lambda row: row.is_demo),
)


@dataclass(frozen=True)
class ActionBudget:
    action: Action
    budget: BudgetLine


BUDGET = (
    Column("axe", _("Axe"), lambda row: row.action.axis.number),
    Column("action", _("Action"), lambda row: row.action.code),
    Column("intitule", _("Intitulé"), lambda row: row.action.title),
    Column("coordinateur", _("Coordinateur"), lambda row: str(row.action.coordinator or "")),
    Column("alloue_eur", _("Alloué (€)"), lambda row: row.budget.allocated),
    Column("engage_eur", _("Engagé (€)"), lambda row: row.budget.committed),
    Column("paye_eur", _("Payé (€)"), lambda row: row.budget.paid),
)
