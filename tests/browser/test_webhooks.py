"""Webhooks in the browser: a new account, admin of its organisation, registers an endpoint
from the team page, sees its secret once, sends a test and finds the delivery listed."""

import pytest
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, User
from tests.browser.test_teams import sign_up
from tests.factories import OrganisationFactory
from tests.webhooks.receiver import running_receiver
from tests.webhooks.test_deliveries import verify

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def test_an_admin_registers_an_endpoint_sees_its_secret_once_and_sends_a_test(
    page, transactional_db, receiver, axe_violations
):
    sign_up(page, "nadia.benali@crm-partenaire.fr")
    organisation = OrganisationFactory(slug="crm-partenaire", name="Partenaire CRM")
    Membership.objects.create(
        user=User.objects.get(email="nadia.benali@crm-partenaire.fr"),
        organisation=organisation,
        role=Role.COMPANY_MEMBER,
        is_admin=True,
    )

    page.goto("/comptes/organisations/crm-partenaire/equipe/")
    page.get_by_role("link", name="Webhooks : prévenir vos outils des événements").click()
    expect(page.get_by_role("heading", name="Webhooks — Partenaire CRM")).to_be_visible()
    assert axe_violations() == []
    page.get_by_label("Adresse (URL)").fill(receiver.url)
    page.get_by_label("Besoin reçu").check()
    page.get_by_label("Besoin pris en charge").check()
    page.get_by_role("button", name="Enregistrer l'adresse").click()

    secret = page.locator("#webhook-secret")
    expect(secret).to_be_visible()
    shown = secret.inner_text()
    assert shown.startswith("whsec_")
    assert axe_violations() == []

    page.get_by_role("button", name="Envoyer un test").click()
    expect(page.get_by_text("Test envoyé")).to_be_visible()
    expect(page.locator("#webhook-secret")).to_have_count(0)  # shown once
    row = page.locator("#webhook-deliveries tbody tr").first
    expect(row).to_contain_text("Test")
    expect(row).to_contain_text("Remise")
    expect(row).to_contain_text("200")
    expect(row).to_contain_text('{"ok": true}')
    assert axe_violations() == []

    [ping] = receiver.received
    assert ping.headers["X-Filiere-Event"] == "ping"
    assert verify(shown, ping.headers["X-Filiere-Signature"], ping.body)

    page.get_by_role("link", name="Webhooks").click()
    endpoints = page.locator("#webhook-endpoints")
    expect(endpoints).to_contain_text(receiver.url)
    expect(endpoints).to_contain_text("Besoin reçu, Besoin pris en charge")
