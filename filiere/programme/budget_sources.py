"""Indicator sources computed from the contract's own budget records."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from filiere.programme.models import BudgetCommitment
from filiere.programme.selectors import counted_commitments, counted_payments
from filiere.programme.sources import register_source


def _cumulative(rows: list[tuple[date, Decimal]], dates: list[date]) -> list[Decimal]:
    """Running totals of dated amounts, read on each requested date."""
    totals = []
    for day in dates:
        totals.append(sum((amount for on, amount in rows if on <= day), Decimal("0")))
    return totals


def _demo_budget(contract) -> bool:
    return BudgetCommitment.objects.filter(action__axis__contract=contract, is_demo=True).exists()


@register_source(
    "programme.budget_committed", "Budget du contrat engagé (€, cumul)", uses_demo_data=_demo_budget
)
def budget_committed(contract, dates: list[date]) -> list[Decimal]:
    rows = (
        counted_commitments(contract)
        .values_list("committed_on")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    return _cumulative(list(rows), dates)


@register_source(
    "programme.budget_paid", "Budget du contrat payé (€, cumul)", uses_demo_data=_demo_budget
)
def budget_paid(contract, dates: list[date]) -> list[Decimal]:
    rows = (
        counted_payments(contract)
        .values_list("paid_on")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    return _cumulative(list(rows), dates)
