"""Writes of the programme: measurements, budget allocations, commitments and payments,
and their corrections and cancellations.

Each service is atomic and checks the budget rules against the rows it locks,
so two officers typing at once cannot overspend an allocation together. A correction
checks the same rules as the entry, on the values it would leave: what it would break is
refused, and nothing changes. Corrections go through ``common.history`` with their reason;
a cancelled commitment or payment keeps its row and no figure counts it.
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
from filiere.common import history
from filiere.common.formats import format_euros as euros
from filiere.common.formats import format_value
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
    _check_measurement(indicator=indicator, measured_on=measured_on)
    return Measurement.objects.create(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        comment=comment,
        recorded_by=recorded_by,
        is_demo=is_demo,
    )


def _check_measurement(*, indicator: Indicator, measured_on: date, excluding=None) -> None:
    if measured_on > timezone.localdate():
        raise Refused(
            "measurement.in_the_future",
            _("Une mesure ne peut pas être datée du futur."),
            field="measured_on",
        )
    same_day = Measurement.objects.filter(indicator=indicator, measured_on=measured_on)
    if same_day.exclude(pk=excluding).exists():
        raise Refused(
            "measurement.one_per_day",
            _("Une mesure existe déjà à cette date pour cet indicateur."),
            field="measured_on",
        )


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise Refused(
            "correction.no_reason",
            _("Donnez le motif de la correction : il est gardé dans l'historique."),
            field="reason",
        )
    return reason.strip()


@transaction.atomic
def measurement_correct(
    *,
    measurement: Measurement,
    measured_on: date,
    value: Decimal,
    comment: str,
    reason: str,
    user=None,
) -> Measurement:
    """Correct a measurement's date, value or comment; the one-per-day and no-future rules
    still hold."""
    reason = _check_reason(reason)
    measurement = Measurement.objects.select_related("indicator").get(pk=measurement.pk)
    _check_measurement(
        indicator=measurement.indicator, measured_on=measured_on, excluding=measurement.pk
    )
    measurement.measured_on, measurement.value, measurement.comment = measured_on, value, comment
    history.correct(measurement, reason=reason, user=user)
    return measurement


def measurement_delete(*, measurement: Measurement, reason: str, user=None) -> None:
    """Delete a measurement typed in by mistake; its history keeps its values and why."""
    history.delete(measurement, reason=_check_reason(reason), user=user)


def _check_year(contract: Contract, year: int, rule: str) -> None:
    """An envelope's or a commitment's budget year is one of the contract's."""
    if year not in contract.years:
        raise Refused(rule, _("Cette année est hors de la durée du contrat."), field="year")


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
    _check_year(contract, year, "allocation.outside_contract")
    set_before = BudgetAllocation.objects.filter(action=action, year=year).first()
    if set_before is not None:
        if set_before.amount_eur != amount_eur:
            # Changing an envelope is a correction: from its page, with a reason kept.
            raise Refused(
                "allocation.already_set",
                _(
                    "L'enveloppe %(year)s est déjà fixée (%(amount)s) : corrigez-la depuis "
                    "sa fiche, avec un motif."
                )
                % {"year": year, "amount": euros(set_before.amount_eur)},
                field="year",
            )
        return set_before
    _check_allocation(contract=contract, action=action, year=year, amount_eur=amount_eur)
    return BudgetAllocation.objects.create(
        action=action, year=year, amount_eur=amount_eur, is_demo=is_demo
    )


def _check_allocation(*, contract: Contract, action: Action, year: int, amount_eur) -> None:
    """Within the contract budget, not below what is committed on the envelope."""
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
    committed = _total(BudgetCommitment.objects.counted().filter(action=action, year=year))
    if amount_eur < committed:
        raise Refused(
            "allocation.below_committed",
            _("%(committed)s sont déjà engagés sur cette enveloppe.")
            % {"committed": euros(committed)},
            field="amount_eur",
        )


@transaction.atomic
def allocation_correct(
    *, allocation: BudgetAllocation, amount_eur: Decimal, reason: str, user=None
) -> BudgetAllocation:
    """Correct an envelope's amount: still within the contract budget, not below what is
    committed on it."""
    reason = _check_reason(reason)
    contract = _locked_contract(allocation.action.axis.contract_id)
    allocation = BudgetAllocation.objects.select_related("action").get(pk=allocation.pk)
    _check_allocation(
        contract=contract, action=allocation.action, year=allocation.year, amount_eur=amount_eur
    )
    allocation.amount_eur = amount_eur
    history.correct(allocation, reason=reason, user=user)
    return allocation


@transaction.atomic
def allocation_delete(*, allocation: BudgetAllocation, reason: str, user=None) -> None:
    """Delete an envelope set by mistake, when nothing is committed on it."""
    reason = _check_reason(reason)
    contract = _locked_contract(allocation.action.axis.contract_id)
    allocation = BudgetAllocation.objects.select_related("action").get(pk=allocation.pk)
    _check_allocation(
        contract=contract, action=allocation.action, year=allocation.year, amount_eur=ZERO
    )
    history.delete(allocation, reason=reason, user=user)


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
    _check_commitment(
        contract=contract,
        action=action,
        year=year,
        amount_eur=amount_eur,
        committed_on=committed_on,
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


def _check_commitment(
    *,
    contract: Contract,
    action: Action,
    year: int,
    amount_eur: Decimal,
    committed_on: date,
    excluding=None,
) -> None:
    """Positive, dated during the contract, within what is left in the envelope of its
    year (``excluding`` a commitment being corrected)."""
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
    _check_year(contract, year, "commitment.year_outside_contract")
    allocation = BudgetAllocation.objects.filter(action=action, year=year).first()
    allocated = allocation.amount_eur if allocation else ZERO
    committed = _total(
        BudgetCommitment.objects.counted().filter(action=action, year=year).exclude(pk=excluding)
    )
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


def _not_cancelled(record, rule: str) -> None:
    if record.is_cancelled:
        raise Refused(rule, _("Cette saisie est annulée : elle ne se corrige plus."))


@transaction.atomic
def commitment_correct(
    *,
    commitment: BudgetCommitment,
    year: int,
    beneficiary: Organisation,
    label: str,
    amount_eur: Decimal,
    committed_on: date,
    reason: str,
    user=None,
) -> BudgetCommitment:
    """Correct a commitment: the envelope rule holds on its new year and amount, it still
    covers what is paid on it, and it precedes its payments."""
    reason = _check_reason(reason)
    contract = _locked_contract(commitment.action.axis.contract_id)
    commitment = BudgetCommitment.objects.select_related("action").get(pk=commitment.pk)
    _not_cancelled(commitment, "commitment.cancelled")
    _check_commitment(
        contract=contract,
        action=commitment.action,
        year=year,
        amount_eur=amount_eur,
        committed_on=committed_on,
        excluding=commitment.pk,
    )
    payments = Payment.objects.counted().filter(commitment=commitment)
    paid = _total(payments)
    if amount_eur < paid:
        raise Refused(
            "commitment.below_paid",
            _("%(paid)s sont déjà payés sur cet engagement : il ne peut descendre en dessous.")
            % {"paid": euros(paid)},
            field="amount_eur",
        )
    first = payments.order_by("paid_on").values_list("paid_on", flat=True).first()
    if first is not None and committed_on > first:
        raise Refused(
            "payment.before_commitment",
            _("Un paiement ne peut précéder l'engagement qu'il solde : le premier est du %(day)s.")
            % {"day": format_value(first)},
            field="committed_on",
        )
    commitment.year, commitment.beneficiary, commitment.label = year, beneficiary, label
    commitment.amount_eur, commitment.committed_on = amount_eur, committed_on
    history.correct(commitment, reason=reason, user=user)
    return commitment


@transaction.atomic
def commitment_cancel(*, commitment: BudgetCommitment, reason: str, user=None) -> int:
    """Cancel a commitment and its payments, with the same reason: their rows stay, with
    their history, and no figure counts them. Returns how many payments it cancelled."""
    reason = _check_reason(reason)
    _locked_contract(commitment.action.axis.contract_id)
    commitment = BudgetCommitment.objects.get(pk=commitment.pk)
    _not_cancelled(commitment, "commitment.cancelled")
    payments = list(Payment.objects.counted().filter(commitment=commitment))
    for payment in payments:
        payment.is_cancelled = True
        history.correct(payment, reason=reason, user=user, fields=["is_cancelled"])
    commitment.is_cancelled = True
    history.correct(commitment, reason=reason, user=user, fields=["is_cancelled"])
    return len(payments)


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
    commitment = BudgetCommitment.objects.get(pk=commitment.pk)
    _check_payment(commitment=commitment, paid_on=paid_on, amount_eur=amount_eur)
    return Payment.objects.create(
        commitment=commitment,
        paid_on=paid_on,
        amount_eur=amount_eur,
        recorded_by=recorded_by,
        is_demo=is_demo,
    )


def _check_payment(
    *, commitment: BudgetCommitment, paid_on: date, amount_eur: Decimal, excluding=None
) -> None:
    """Positive, of a commitment in force, not before it, and the commitment's counted
    payments (``excluding`` one being corrected) never exceed it."""
    if commitment.is_cancelled:
        raise Refused(
            "payment.commitment_cancelled",
            _("Cet engagement est annulé : il ne reçoit plus de paiement."),
            field="commitment",
        )
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
    paid = _total(Payment.objects.counted().filter(commitment=commitment).exclude(pk=excluding))
    if paid + amount_eur > commitment.amount_eur:
        raise Refused(
            "payment.over_commitment",
            _("Il reste %(left)s à payer sur cet engagement.")
            % {"left": euros(commitment.amount_eur - paid)},
            field="amount_eur",
        )


@transaction.atomic
def payment_correct(
    *, payment: Payment, paid_on: date, amount_eur: Decimal, reason: str, user=None
) -> Payment:
    """Correct a payment's date or amount: its commitment's payments still never exceed it,
    and it still follows the commitment."""
    reason = _check_reason(reason)
    _locked_contract(payment.commitment.action.axis.contract_id)
    payment = Payment.objects.select_related("commitment").get(pk=payment.pk)
    _not_cancelled(payment, "payment.cancelled")
    _check_payment(
        commitment=payment.commitment,
        paid_on=paid_on,
        amount_eur=amount_eur,
        excluding=payment.pk,
    )
    payment.paid_on, payment.amount_eur = paid_on, amount_eur
    history.correct(payment, reason=reason, user=user)
    return payment


@transaction.atomic
def payment_cancel(*, payment: Payment, reason: str, user=None) -> Payment:
    """Cancel a payment: its row stays, with its history, and no figure counts it."""
    reason = _check_reason(reason)
    _locked_contract(payment.commitment.action.axis.contract_id)
    payment = Payment.objects.get(pk=payment.pk)
    _not_cancelled(payment, "payment.cancelled")
    payment.is_cancelled = True
    history.correct(payment, reason=reason, user=user, fields=["is_cancelled"])
    return payment
