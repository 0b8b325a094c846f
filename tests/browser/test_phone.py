"""On a phone (375 px wide) every page starts with its content: the menu folds behind its
« Menu » button (js/menu.js, under the Content-Security-Policy), and the header takes no more
than a line; the button opens the menu and closes it."""

import pytest
from playwright.sync_api import expect

from filiere.programme.demo import DEMO_PASSWORD
from tests.browser.test_security import COLLECT, PAGES
from tests.browser.test_steering import OFFICER

PHONE = {"width": 375, "height": 740}
# The header's height on a phone: the brand and the button on one line.
HEADER_AT_MOST = 64


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


@pytest.mark.browser
def test_on_a_phone_the_menu_folds_behind_its_button(phone, scenario):
    phone.add_init_script(COLLECT)
    phone.goto("/comptes/login/")
    phone.get_by_label("Adresse e-mail").fill(OFFICER)
    phone.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    phone.wait_for_url("**/")
    heights = {}
    for path in [p for p in PAGES if not p.startswith("/api/")]:  # Swagger UI has no menu
        phone.goto(path)
        phone.wait_for_load_state("domcontentloaded")
        expect(phone.get_by_role("button", name="Menu")).to_be_visible()
        heights[path] = _header_height(phone)
    assert {path: h for path, h in heights.items() if h > HEADER_AT_MOST} == {}

    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.locator("#site-nav")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Annuaire"
    ).click()
    phone.wait_for_url("**/annuaire/")
    assert _header_height(phone) <= HEADER_AT_MOST
    assert phone.evaluate("window.__violations") == []


@pytest.mark.browser
def test_on_a_wide_screen_the_menu_stays_open(page, scenario):
    page.goto("/")
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
