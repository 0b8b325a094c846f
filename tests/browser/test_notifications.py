"""Notifications people control, in the browser: an adviser switches new-need mails to a daily
digest and receives one mail for three needs; an absent adviser's new need goes to the
colleague who stands in, and the need's history says so."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts import tasks
from filiere.needs.services import need_confirm, need_post
from tests.worlds import PASSWORD, matching_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return matching_world()


def sign_in(page, email: str) -> None:
    page.goto("/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def post_need(world, company: str) -> None:
    need = need_post(
        commune=world.caen,
        text="Une boutique en ligne pour nos produits, avec paiement sécurisé",
        domain="web",
        company_name=company,
        is_creator=True,
        contact_name="Jeanne Lemoine",
        contact_email=f"contact@{company.split()[0].lower()}.test",
    )
    need_confirm(need=need)


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_an_adviser_takes_new_needs_in_a_daily_digest(page, world, axe_violations):
    sign_in(page, "conseil@cci.test")
    page.goto("/comptes/mon-compte/")
    page.get_by_role("link", name="Mes notifications").click()
    page.get_by_label("Nouveaux besoins sur mon territoire").select_option(label="Résumé quotidien")
    assert axe_violations() == []
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_role("status")).to_contain_text("Vos choix de notifications")
    expect(page.get_by_label("Nouveaux besoins sur mon territoire")).to_have_value("daily")

    companies = ["Cidrerie du Bocage", "Fromagerie Lecoq", "Biscuiterie Vire"]
    for company in companies:
        post_need(world, company)
    assert to("conseil@cci.test") == []

    tasks.send_daily_digests.delay().get()
    [digest] = to("conseil@cci.test")
    assert digest.subject == "[Filière] Votre résumé quotidien"
    html = next(content for content, kind in digest.alternatives if kind == "text/html")
    for company in companies:
        assert company in digest.body
        assert company in html
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_absent_advisers_new_need_goes_to_the_stand_in(page, world, axe_violations):
    today = timezone.localdate()
    sign_in(page, "conseil@cci.test")
    page.goto("/comptes/mon-compte/")
    page.get_by_role("link", name="Mes absences").click()
    page.get_by_label("Absent·e du").fill(today.isoformat())
    page.get_by_label("Jusqu’au (inclus)").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Remplacé·e par").select_option(label=f"{world.cci_manager} — CCI")
    assert axe_violations() == []
    page.get_by_role("button", name="Enregistrer l'absence").click()
    expect(page.get_by_role("status")).to_contain_text("Votre absence est enregistrée")
    expect(page.locator("#my-absences")).to_contain_text(f"remplacé·e par {world.cci_manager}")

    post_need(world, "Cidrerie du Bocage")
    assert to("conseil@cci.test") == []
    [told] = to("direction@cci.test")
    link = re.search(r"https?://[^/\s]+(/besoins/conseil/\d+/)", told.body).group(1)

    page.context.clear_cookies()
    sign_in(page, "direction@cci.test")
    page.goto(link)
    expect(page.locator("body")).to_contain_text(
        f"{world.cci_adviser} absent·e jusqu'au {today + timedelta(days=7):%d/%m/%Y}, "
        f"remplacé·e par {world.cci_manager}"
    )
