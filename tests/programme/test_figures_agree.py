"""One date, one truth: whatever commitments and payments a contract holds, however they were
corrected or cancelled, and whatever day it is seen on, the dashboard's key figures and
yearly table, the API, the budget indicators and the report of the contract up to that day
give the same amounts, those of the records in force."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from filiere.common.refusals import Refused
from filiere.programme import services
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

# What becomes of a record once entered: kept, corrected (a new amount and a shift of its
# date, which the budget rules may refuse: then nothing changes) or cancelled.
fate = st.one_of(
    st.just(None),
    st.just("cancel"),
    st.tuples(st.integers(1, 60_000), st.integers(-60, 60)),
)
payment = st.tuples(st.integers(0, 400), st.integers(1, 20_000), fate)  # days after, amount
commitment = st.tuples(
    st.integers(0, 1),  # which action
    st.integers(0, 3 * 365 - 1),  # committed on, days after the start
    st.integers(1_000, 60_000),
    st.lists(payment, max_size=3),
    fate,
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
        """Enter the commitments and payments, then correct or cancel them as drawn, through
        the services the pages call."""
        for number, (which, offset, amount, payments, commitment_fate) in enumerate(commitments):
            committed_on = START + timedelta(days=offset)
            record = BudgetCommitment.objects.create(
                action=self.actions[which],
                year=committed_on.year,
                beneficiary=self.actions[which].coordinator,
                label=f"Convention {number}",
                amount_eur=Decimal(amount),
                committed_on=committed_on,
            )
            for after, paid, payment_fate in payments:
                entered = Payment.objects.create(
                    commitment=record,
                    paid_on=min(committed_on + timedelta(days=after), LAST),
                    amount_eur=Decimal(paid),
                )
                self.befall(entered, payment_fate)
            self.befall(record, commitment_fate)

    def befall(self, record, fate) -> None:
        by = {"reason": "Tirage", "user": self.officer}
        try:
            if isinstance(record, Payment):
                if fate == "cancel":
                    services.payment_cancel(payment=record, **by)
                elif fate:
                    services.payment_correct(
                        payment=record,
                        amount_eur=Decimal(fate[0]),
                        paid_on=min(record.paid_on + timedelta(days=fate[1]), LAST),
                        **by,
                    )
            elif fate == "cancel":
                services.commitment_cancel(commitment=record, **by)
            elif fate:
                committed_on = record.committed_on + timedelta(days=fate[1])
                services.commitment_correct(
                    commitment=record,
                    year=committed_on.year,
                    beneficiary=record.beneficiary,
                    label=record.label,
                    amount_eur=Decimal(fate[0]),
                    committed_on=committed_on,
                    **by,
                )
        except Refused:
            pass  # A correction that breaks a rule changes nothing.

    def in_force(self, as_of: date) -> tuple[Decimal, Decimal]:
        """What is committed and paid by ``as_of``, read from the rows one by one: those
        not cancelled, at their corrected values."""
        committed = paid = Decimal(0)
        for record in BudgetCommitment.objects.prefetch_related("payments"):
            if record.is_cancelled:
                continue
            if record.committed_on <= as_of:
                committed += record.amount_eur
            for entered in record.payments.all():
                if not entered.is_cancelled and entered.paid_on <= as_of:
                    paid += entered.amount_eur
        return committed, paid

    @settings(max_examples=25, deadline=None)
    @given(commitments=st.lists(commitment, max_size=6), day=st.integers(0, DAYS))
    def test_every_page_says_the_same_amounts(self, commitments, day):
        Payment.objects.all().delete()
        BudgetCommitment.objects.all().delete()
        self.record(commitments)
        as_of = START + timedelta(days=day)
        committed, paid = self.in_force(as_of)
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
