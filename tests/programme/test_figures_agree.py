"""One date, one truth: whatever commitments and payments a contract holds and whatever day
it is seen on, the dashboard's key figures and yearly table, the API, the budget indicators
and the report of the contract up to that day give the same amounts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from filiere.programme.models import BudgetCommitment, Payment
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    AxisFactory,
    ContractFactory,
    IndicatorFactory,
    UserFactory,
)

START = date(2017, 1, 1)
# Payments may come after the contract's end (the demo's last ones are paid in 2020).
LAST = date(2021, 6, 30)
DAYS = (LAST - START).days

payment = st.tuples(st.integers(0, 400), st.integers(1, 20_000))  # days after, amount
commitment = st.tuples(
    st.integers(0, 1),  # which action
    st.integers(0, 3 * 365 - 1),  # committed on, days after the start
    st.integers(1_000, 60_000),
    st.lists(payment, max_size=3),
)


class TestTheContractsFiguresAgreeOnAnyDay(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.contract = ContractFactory(start_date=START, end_date=date(2019, 12, 31))
        axis = AxisFactory(contract=cls.contract, number=1)
        cls.actions = [ActionFactory(axis=axis, code=f"1.{n}") for n in (1, 2)]
        for action in cls.actions:
            for year in (2017, 2018, 2019):
                AllocationFactory(action=action, year=year, amount_eur=Decimal("900000"))
        for code, source in (("engage", "committed"), ("paye", "paid")):
            IndicatorFactory(
                contract=cls.contract,
                code=f"budget-{code}",
                computed_source=f"programme.budget_{source}",
                unit="€",
            )
        cls.officer = UserFactory(is_superuser=True)

    def record(self, commitments) -> None:
        for number, (which, offset, amount, payments) in enumerate(commitments):
            committed_on = START + timedelta(days=offset)
            record = BudgetCommitment.objects.create(
                action=self.actions[which],
                year=committed_on.year,
                beneficiary=self.actions[which].coordinator,
                label=f"Convention {number}",
                amount_eur=Decimal(amount),
                committed_on=committed_on,
            )
            for after, paid in payments:
                Payment.objects.create(
                    commitment=record,
                    paid_on=min(committed_on + timedelta(days=after), LAST),
                    amount_eur=Decimal(paid),
                )

    @settings(max_examples=25, deadline=None)
    @given(commitments=st.lists(commitment, max_size=6), day=st.integers(0, DAYS))
    def test_every_page_says_the_same_amounts(self, commitments, day):
        BudgetCommitment.objects.all().delete()
        self.record(commitments)
        as_of = START + timedelta(days=day)
        committed = sum(
            (c.amount_eur for c in BudgetCommitment.objects.filter(committed_on__lte=as_of)),
            Decimal(0),
        )
        paid = sum((p.amount_eur for p in Payment.objects.filter(paid_on__lte=as_of)), Decimal(0))
        slug = self.contract.slug
        client = Client()
        client.force_login(self.officer)

        dashboard = client.get(f"/contrats/{slug}/", {"au": as_of.isoformat()})
        overview = dashboard.context["overview"]
        assert (overview.budget.committed, overview.budget.paid) == (committed, paid)
        years = overview.budget_years.values()
        assert sum(line.committed for line in years) == committed
        assert sum(line.paid for line in years) == paid

        lines = client.get(f"/api/contracts/{slug}/budget", {"at": as_of}).json()
        assert sum(Decimal(str(line["committed_eur"])) for line in lines) == committed
        assert sum(Decimal(str(line["paid_eur"])) for line in lines) == paid

        indicators = client.get(f"/api/contracts/{slug}/indicators", {"at": as_of}).json()
        latest = {row["code"]: Decimal(str(row["latest_value"])) for row in indicators}
        assert (latest["budget-engage"], latest["budget-paye"]) == (committed, paid)

        if as_of <= self.contract.end_date:
            period = {"start": START.isoformat(), "end": as_of.isoformat()}
            report = client.get(f"/contrats/{slug}/rapport/", period)
            total = report.context["period_total"]
            assert (total.committed, total.paid) == (committed, paid)
            assert report.context["overview"].budget.paid == paid
            exported = client.get(f"/contrats/{slug}/rapport/budget.csv", period)
            text = io.StringIO(exported.content.decode("utf-8-sig"))
            rows = list(csv.DictReader(text, delimiter=";"))
            assert sum(_amount(row["engage_eur"]) for row in rows) == committed
            assert sum(_amount(row["paye_eur"]) for row in rows) == paid


def _amount(cell: str) -> Decimal:
    """An amount as the CSV writes it (a decimal comma or point)."""
    return Decimal(cell.replace(",", ".") or "0")
