"""Writes of the programme: measurements, budget allocations, commitments and payments.

Each service is atomic and checks the budget rules against the rows it locks,
so two officers typing at once cannot overspend an allocation together.
Callers check who may write first (``access``); a broken budget rule raises
``Refused`` with the field it concerns.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.models import Organisation
from filiere.common.formats import format_euros as euros
from filiere.common.refusals import Refused
from filiere.programme.models import (
    Action,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Indicator,
    Measurement,
    Payment,
)

ZERO = Decimal("0")


def _total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount_eur", default=ZERO))["total"]


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    measured_on: date,
    value: Decimal,
    comment: str = "",
    recorded_by=None,
    is_demo: bool = False,
) -> Measurement:
    if indicator.computed_source:
        raise Refused(
            "measurement.computed_indicator",
            _("Cet indicateur est calculé par la plateforme : il ne se saisit pas."),
        )
    if measured_on > timezone.localdate():
        raise Refused(
            "measurement.in_the_future",
            _("Une mesure ne peut pas être datée du futur."),
            field="measured_on",
        )
    if Measurement.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        raise Refused(
            "measurement.one_per_day",
            _("Une mesure existe déjà à cette date pour cet indicateur."),
            field="measured_on",
        )
    return Measurement.objects.create(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        comment=comment,
        recorded_by=recorded_by,
        is_demo=is_demo,
    )


def _locked_contract(contract_id: int) -> Contract:
    # The contract row is the lock every budget write of that contract queues on.
    return Contract.objects.select_for_update().get(pk=contract_id)


@transaction.atomic
def allocation_set(
    *, action: Action, year: int, amount_eur: Decimal, is_demo: bool = False
) -> BudgetAllocation:
    """Set an action's envelope for a year: within the contract budget, not below what is
    already committed on it."""
    contract = _locked_contract(action.axis.contract_id)
    if year not in contract.years:
        raise Refused(
            "allocation.outside_contract",
            _("Cette année est hors de la durée du contrat."),
            field="year",
        )
    others = _total(
        BudgetAllocation.objects.filter(action__axis__contract=contract).exclude(
            action=action, year=year
        )
    )
    if others + amount_eur > contract.budget_eur:
        raise Refused(
            "allocation.over_contract_budget",
            _(
                "Les enveloppes dépasseraient le budget du contrat (%(budget)s) : "
                "il reste %(left)s à répartir."
            )
            % {"budget": euros(contract.budget_eur), "left": euros(contract.budget_eur - others)},
            field="amount_eur",
        )
    committed = _total(BudgetCommitment.objects.filter(action=action, year=year))
    if amount_eur < committed:
        raise Refused(
            "allocation.below_committed",
            _("%(committed)s sont déjà engagés sur cette enveloppe.")
            % {"committed": euros(committed)},
            field="amount_eur",
        )
    allocation, _created = BudgetAllocation.objects.update_or_create(
        action=action, year=year, defaults={"amount_eur": amount_eur, "is_demo": is_demo}
    )
    return allocation


@transaction.atomic
def commitment_create(
    *,
    action: Action,
    year: int,
    beneficiary: Organisation,
    label: str,
    amount_eur: Decimal,
    committed_on: date,
    recorded_by=None,
    is_demo: bool = False,
) -> BudgetCommitment:
    """Commit money under an action's envelope of a year; never beyond what is left in it."""
    contract = _locked_contract(action.axis.contract_id)
    if amount_eur <= 0:
        raise Refused(
            "commitment.not_positive", _("Le montant doit être positif."), field="amount_eur"
        )
    if not contract.start_date <= committed_on <= contract.end_date:
        raise Refused(
            "commitment.outside_contract",
            _("La date d'engagement doit tomber pendant le contrat."),
            field="committed_on",
        )
    allocation = BudgetAllocation.objects.filter(action=action, year=year).first()
    allocated = allocation.amount_eur if allocation else ZERO
    committed = _total(BudgetCommitment.objects.filter(action=action, year=year))
    if committed + amount_eur > allocated:
        raise Refused(
            "commitment.over_envelope",
            _(
                "L'engagement dépasse l'enveloppe de l'action pour %(year)s : "
                "%(allocated)s alloués, %(committed)s déjà engagés, %(left)s disponibles."
            )
            % {
                "year": year,
                "allocated": euros(allocated),
                "committed": euros(committed),
                "left": euros(allocated - committed),
            },
            field="amount_eur",
        )
    return BudgetCommitment.objects.create(
        action=action,
        year=year,
        beneficiary=beneficiary,
        label=label,
        amount_eur=amount_eur,
        committed_on=committed_on,
        recorded_by=recorded_by,
        is_demo=is_demo,
    )


@transaction.atomic
def payment_create(
    *,
    commitment: BudgetCommitment,
    paid_on: date,
    amount_eur: Decimal,
    recorded_by=None,
    is_demo: bool = False,
) -> Payment:
    """Pay part of a commitment; the payments of a commitment never exceed it."""
    _locked_contract(commitment.action.axis.contract_id)
    if amount_eur <= 0:
        raise Refused(
            "payment.not_positive", _("Le montant doit être positif."), field="amount_eur"
        )
    if paid_on < commitment.committed_on:
        raise Refused(
            "payment.before_commitment",
            _("Un paiement ne peut précéder l'engagement qu'il solde."),
            field="paid_on",
        )
    paid = _total(Payment.objects.filter(commitment=commitment))
    if paid + amount_eur > commitment.amount_eur:
        raise Refused(
            "payment.over_commitment",
            _("Il reste %(left)s à payer sur cet engagement.")
            % {"left": euros(commitment.amount_eur - paid)},
            field="amount_eur",
        )
    return Payment.objects.create(
        commitment=commitment,
        paid_on=paid_on,
        amount_eur=amount_eur,
        recorded_by=recorded_by,
        is_demo=is_demo,
    )
