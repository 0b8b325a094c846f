import re

import pytest
from playwright.sync_api import expect

from filiere.programme.models import Measurement

pytestmark = pytest.mark.browser

SLUG = "normandie-numerique-2017"
OFFICER = "officier@demo.filiere.fr"
NWX = "coordination@nwx.demo.filiere.fr"


INDICATOR = "entreprises-accompagnees"


def test_officer_records_a_measurement_and_sees_progress_move(page, scenario, login):
    login(OFFICER)
    page.get_by_role("link", name="Contrat de filière numérique 2017-2019").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Contrat de filière numérique 2017-2019"
    )
    expect(page.get_by_text("850 000 €").first).to_be_visible()

    # A demo action indicator: baseline 0, target 120 firms, generated half-year figures.
    latest = Measurement.objects.filter(indicator__code=INDICATOR).latest("measured_on").value
    page.get_by_role("link", name="Entreprises du numérique accompagnées").first.click()
    progress = page.get_by_test_id("progress")
    expect(progress).to_have_text(re.compile(rf"^{round(latest * 100 / 120)}\s?%$"))

    page.get_by_label("Date de la mesure").fill("2019-12-31")
    page.get_by_role("spinbutton", name="Valeur").fill("96")
    page.get_by_label("Commentaire").fill("Bilan fin 2019")
    page.get_by_role("button", name="Enregistrer la mesure").click()

    expect(page.get_by_role("status")).to_contain_text("Mesure enregistrée")
    expect(progress).to_have_text(re.compile(r"^80\s?%$"))
    assert Measurement.objects.filter(indicator__code=INDICATOR, value=96).exists()

    # The dashboard shows the new figure too.
    page.goto(f"/contrats/{SLUG}/")
    row = page.get_by_role("row", name=re.compile("Entreprises du numérique accompagnées"))
    expect(row).to_contain_text("96")


def test_errors_are_shown_at_the_field(page, scenario, login):
    login(OFFICER)
    page.goto(f"/contrats/{SLUG}/indicateurs/couverture-thd/")
    page.get_by_label("Date de la mesure").fill("2019-06-30")
    page.get_by_role("spinbutton", name="Valeur").fill("700")
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("Une mesure existe déjà à cette date")).to_be_visible()
    expect(page.get_by_label("Date de la mesure")).to_have_attribute("aria-invalid", "true")
    # The form came back through htmx: the field to correct has the focus.
    expect(page.get_by_label("Date de la mesure")).to_be_focused()


def test_coordinator_is_refused_an_edit_on_another_action(page, scenario, login):
    login(NWX)
    page.goto(f"/contrats/{SLUG}/indicateurs/projets-collaboratifs-emerges/")
    expect(page.locator("#record-refused")).to_contain_text("action 1.2")
    expect(page.get_by_role("button", name="Enregistrer la mesure")).to_have_count(0)

    # Forcing the form through anyway is refused by the server.
    token = page.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    response = page.request.post(
        f"/contrats/{SLUG}/indicateurs/projets-collaboratifs-emerges/",
        form={"measured_on": "2019-12-31", "value": "30"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    assert not Measurement.objects.filter(
        indicator__code="projets-collaboratifs-emerges", value=30
    ).exists()

    # Its own action's indicator is open to it.
    page.goto(f"/contrats/{SLUG}/indicateurs/entreprises-accompagnees/")
    expect(page.get_by_role("button", name="Enregistrer la mesure")).to_be_visible()
    page.goto(f"/contrats/{SLUG}/actions/2.2/")
    expect(page.get_by_role("button", name="Enregistrer l'engagement")).to_have_count(0)


def test_the_public_reads_without_forms(page, scenario):
    page.goto(f"/contrats/{SLUG}/actions/2.3/")
    expect(page.get_by_text("Agri up")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Enregistrer"))).to_have_count(0)


def test_report_prints_and_exports(page, scenario, login):
    login(OFFICER)
    page.goto(f"/contrats/{SLUG}/rapport/?start=2018-01-01&end=2018-12-31")
    expect(page.get_by_role("heading", level=1)).to_contain_text("du 1er janvier 2018")
    with page.expect_download() as download:
        page.get_by_role("link", name="Budget de la période (CSV)").click()
    assert download.value.suggested_filename.endswith("budget-2018-01-01-2018-12-31.csv")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000


def test_phone_width_keeps_the_dashboard_usable(page, scenario):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/contrats/{SLUG}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # tables scroll inside their wrapper, not the whole page


MAIN_PAGES = [
    "/",
    f"/contrats/{SLUG}/",
    f"/contrats/{SLUG}/axes/2/",
    f"/contrats/{SLUG}/actions/2.1/",
    f"/contrats/{SLUG}/indicateurs/parcours-formation/",
    f"/contrats/{SLUG}/rapport/",
]


def test_main_pages_have_no_serious_accessibility_violation(page, scenario, login, axe_violations):
    login(OFFICER)  # signed in, so that the forms are on the pages too
    found = {}
    for path in MAIN_PAGES:
        page.goto(path)
        violations = axe_violations()
        if violations:
            found[path] = violations
    assert found == {}


def test_keyboard_users_reach_the_content_first(page, scenario):
    page.goto(f"/contrats/{SLUG}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()
