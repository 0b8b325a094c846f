"""A programme officer corrects a payment of the demo contract from its page: its history
shows the old amount and the reason, and the dashboard, the report, its CSV, the API and the
budget-paid indicator agree, before and after, on a day before the payment and on one
after it."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.common.formats import format_value
from filiere.programme.models import Payment
from tests.factories import member

pytestmark = pytest.mark.browser

SLUG = "normandie-numerique-2017"
PASSWORD = "motdepasse-test"
CORRECTION = Decimal("1000")


def _euros(text: str) -> int:
    """A whole-euro amount as a page prints it (« 1 234 567 € »)."""
    digits = re.sub(r"[^\d,-]", "", text).replace(",", ".")
    return _whole(Decimal(digits))


def _whole(amount: Decimal) -> int:
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _card(page, label: str) -> int:
    figure = page.locator(".card").filter(
        has=page.locator(".figure-label", has_text=re.compile(f"^{label}$"))
    )
    return _euros(figure.locator(".figure").inner_text())


def paid_everywhere(page, day: date) -> dict[str, int]:
    """What each page, export and endpoint says was paid on ``day``, in whole euros."""
    seen = {}
    page.goto(f"/contrats/{SLUG}/?au={day.isoformat()}")
    seen["dashboard"] = _card(page, "Payé")
    period = f"start=2017-01-01&end={day.isoformat()}"
    page.goto(f"/contrats/{SLUG}/rapport/?{period}")
    seen["report"] = _euros(page.locator("tfoot tr").first.locator("td").nth(2).inner_text())
    exported = page.request.get(f"/contrats/{SLUG}/rapport/budget.csv?{period}")
    rows = csv.DictReader(io.StringIO(exported.text().lstrip("\ufeff")), delimiter=";")
    seen["report csv"] = _whole(
        sum((Decimal(row["paye_eur"].replace(",", ".") or "0") for row in rows), Decimal(0))
    )
    lines = page.request.get(f"/api/contracts/{SLUG}/budget?at={day.isoformat()}").json()
    seen["api"] = _whole(sum((Decimal(str(line["paid_eur"])) for line in lines), Decimal(0)))
    page.goto(f"/contrats/{SLUG}/indicateurs/budget-paye/?au={day.isoformat()}")
    seen["indicator"] = _card(page, "Dernière valeur")
    return seen


def test_an_officer_corrects_a_payment_and_every_figure_follows(
    page, scenario, login, axe_violations
):
    officer = member(scenario.owner, Role.PROGRAMME_OFFICER, email="correctrice@example.fr")
    payment = (
        Payment.objects.filter(
            commitment__action__axis__contract=scenario,
            paid_on__gt=date(2017, 1, 1),
            paid_on__lte=date(2019, 6, 30),
            amount_eur__gt=CORRECTION,
        )
        .select_related("commitment__action")
        .order_by("paid_on", "pk")
        .first()
    )
    before_it, after_it = payment.paid_on - timedelta(days=1), date(2019, 12, 31)
    login(officer.email, PASSWORD)

    earlier = {day: paid_everywhere(page, day) for day in (before_it, after_it)}
    for day, seen in earlier.items():
        assert len(set(seen.values())) == 1, (day, seen)

    action = payment.commitment.action
    page.goto(f"/contrats/{SLUG}/actions/{action.code}/")
    day_shown = payment.paid_on.strftime("%d/%m/%Y")
    page.get_by_role("link", name=f"Paiement du {day_shown}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Paiement du {day_shown}")
    new_amount = payment.amount_eur - CORRECTION
    page.get_by_label("Montant (€)").fill(str(new_amount))
    page.get_by_label("Motif").first.fill("Facture rectifiée par le bénéficiaire")
    page.get_by_role("button", name="Corriger le paiement").click()

    expect(page.get_by_role("status")).to_contain_text("Paiement corrigé")
    history = page.locator(".record-history")
    expect(history).to_contain_text("Facture rectifiée par le bénéficiaire")
    expect(history.locator("del")).to_contain_text(format_value(payment.amount_eur))
    expect(history.locator("ins")).to_contain_text(format_value(new_amount))
    # The record's page, with its forms and its history, has no serious violation.
    assert axe_violations() == []
    payment.refresh_from_db()
    assert payment.amount_eur == new_amount

    later = {day: paid_everywhere(page, day) for day in (before_it, after_it)}
    for day, seen in later.items():
        assert len(set(seen.values())) == 1, (day, seen)
    # Before the payment nothing moved; after it, every figure is 1 000 € lower.
    assert later[before_it] == earlier[before_it]
    assert later[after_it]["api"] == earlier[after_it]["api"] - int(CORRECTION)

    # The action page offers the history of its payments as a CSV, with the reason.
    page.goto(f"/contrats/{SLUG}/actions/{action.code}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="paiements").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    reasons = [row["motif"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert "Facture rectifiée par le bénéficiaire" in reasons
