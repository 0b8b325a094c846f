from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from filiere.common.refusals import Refused
from filiere.programme import services
from filiere.programme.models import BudgetAllocation, BudgetCommitment, Measurement, Payment
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    IndicatorFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def commit(action, amount, year=2018, **extra):
    return services.commitment_create(
        action=action,
        year=year,
        beneficiary=action.coordinator,
        label="Convention",
        amount_eur=Decimal(amount),
        committed_on=extra.pop("committed_on", date(year, 3, 1)),
        **extra,
    )


def test_commitments_cannot_exceed_the_allocation():
    allocation = AllocationFactory(amount_eur=Decimal("100000"))
    commit(allocation.action, "60000")
    with pytest.raises(Refused) as excinfo:
        commit(allocation.action, "40000.01")
    assert (excinfo.value.rule, excinfo.value.field) == ("commitment.over_envelope", "amount_eur")
    message = str(excinfo.value.message)
    assert "40 000 € disponibles" in message.replace("\u202f", " ").replace("\xa0", " ")
    assert BudgetCommitment.objects.count() == 1
    commit(allocation.action, "40000")  # exactly what is left is fine
    assert BudgetCommitment.objects.count() == 2


def test_no_commitment_without_an_envelope_of_that_year():
    allocation = AllocationFactory(year=2018)
    with pytest.raises(Refused):
        commit(allocation.action, "10", year=2019)
    assert BudgetCommitment.objects.count() == 0


def test_commitment_date_must_fall_in_the_contract():
    allocation = AllocationFactory()
    with pytest.raises(Refused) as excinfo:
        commit(allocation.action, "10", committed_on=date(2021, 1, 1))
    assert excinfo.value.field == "committed_on"


def test_allocations_cannot_exceed_the_contract_budget_or_go_below_commitments():
    action = ActionFactory()
    services.allocation_set(action=action, year=2017, amount_eur=Decimal("800000"))
    other = ActionFactory(axis=action.axis, code="9.9")
    with pytest.raises(Refused) as excinfo:
        services.allocation_set(action=other, year=2018, amount_eur=Decimal("50001"))
    assert excinfo.value.field == "amount_eur"
    services.allocation_set(action=other, year=2018, amount_eur=Decimal("50000"))
    # Setting it again as it is changes nothing; another amount is a correction, with a reason.
    services.allocation_set(action=action, year=2017, amount_eur=Decimal("800000"))
    with pytest.raises(Refused) as excinfo:
        services.allocation_set(action=action, year=2017, amount_eur=Decimal("700000"))
    assert (excinfo.value.rule, excinfo.value.field) == ("allocation.already_set", "year")
    allocation = BudgetAllocation.objects.get(action=action, year=2017)
    # Correcting an existing envelope counts it once, not twice.
    services.allocation_correct(allocation=allocation, amount_eur=Decimal("800000"), reason="Vu")

    commit(action, "300000", year=2017)
    with pytest.raises(Refused):
        services.allocation_correct(
            allocation=allocation, amount_eur=Decimal("299999"), reason="Baisse"
        )
    assert BudgetAllocation.objects.get(action=action, year=2017).amount_eur == 800000
    with pytest.raises(Refused):
        services.allocation_set(action=action, year=2016, amount_eur=Decimal("1"))


def test_payments_cannot_exceed_their_commitment_nor_precede_it():
    allocation = AllocationFactory()
    commitment = commit(allocation.action, "1000")
    services.payment_create(
        commitment=commitment, paid_on=date(2018, 5, 1), amount_eur=Decimal("600")
    )
    with pytest.raises(Refused):
        services.payment_create(
            commitment=commitment, paid_on=date(2018, 6, 1), amount_eur=Decimal("400.01")
        )
    with pytest.raises(Refused) as excinfo:
        services.payment_create(
            commitment=commitment, paid_on=date(2018, 1, 1), amount_eur=Decimal("10")
        )
    assert excinfo.value.field == "paid_on"
    assert Payment.objects.count() == 1


def test_one_measurement_per_date_and_none_on_computed_indicators():
    indicator = IndicatorFactory()
    services.measurement_record(
        indicator=indicator, measured_on=date(2018, 1, 1), value=Decimal("3")
    )
    with pytest.raises(Refused) as excinfo:
        services.measurement_record(
            indicator=indicator, measured_on=date(2018, 1, 1), value=Decimal("4")
        )
    assert excinfo.value.field == "measured_on"
    computed = IndicatorFactory(computed_source="programme.budget_committed")
    with pytest.raises(Refused):
        services.measurement_record(
            indicator=computed, measured_on=date(2018, 1, 1), value=Decimal("4")
        )
    assert Measurement.objects.count() == 1


class TestCommitmentSequences(TestCase):
    """Whatever the order and size of commitments, their total never passes the envelope."""

    @settings(max_examples=30, deadline=None)
    @given(st.lists(st.integers(min_value=1, max_value=60_000), min_size=1, max_size=8))
    def test_total_stays_within_the_allocation(self, amounts):
        allocation = AllocationFactory(amount_eur=Decimal("100000"))
        beneficiary = OrganisationFactory()
        accepted = 0
        for amount in amounts:
            try:
                services.commitment_create(
                    action=allocation.action,
                    year=2018,
                    beneficiary=beneficiary,
                    label="x",
                    amount_eur=Decimal(amount),
                    committed_on=date(2018, 2, 1),
                )
                accepted += amount
            except Refused:
                assert accepted + amount > 100_000
        total = sum(
            BudgetCommitment.objects.filter(action=allocation.action).values_list(
                "amount_eur", flat=True
            )
        )
        assert total == accepted <= 100_000
