import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from filiere.common.command import Summary
from filiere.directory.models import Establishment, LegalUnit
from filiere.needs.demo import demo_load as needs_demo_load
from filiere.observatory.demo import demo_register_load
from filiere.territory.sectors import DEFAULT_SECTOR, DIGITAL_SECTOR
from filiere.territory.services import sector_definition_install
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def register(transactional_db, run_command):
    """The real territory, and a small generated register of Normandy (flagged demo)."""
    # The live server's tests flush the database, migration data included: put the
    # shipped sector definition back.
    sector_definition_install(spec=DIGITAL_SECTOR)
    run_command("load_reference_data", "--regions", "28")
    demo_register_load(rows=3000)
    return Summary()


@pytest.fixture
def offers(register):
    """The demo offers and references of the register's digital firms (load_demo_needs)."""
    needs_demo_load(Summary())


def test_search_the_directory_and_open_an_organisation(page, register):
    unit = LegalUnit.objects.filter(
        establishments__naf="62.01Z", establishments__status="A"
    ).first()
    word = unit.name.split()[1]  # e.g. « Logiciels »
    page.goto("/annuaire/")
    page.get_by_label("Recherche").fill(word.lower())
    page.get_by_label("Filière").select_option("numerique")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results")).to_contain_text("par pertinence")
    first = page.locator("#results .card a").first
    expect(first).to_contain_text(re.compile(word, re.IGNORECASE))
    expect(page.locator("#directory-map[data-ready='1']")).to_have_count(1)
    assert page.locator(".leaflet-marker-icon").count() > 0
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name.split(" — ")[0])
    expect(page.get_by_role("heading", name="Établissements")).to_be_visible()
    expect(page.get_by_text("Démo").first).to_be_visible()


def test_read_the_observatory_map_and_figures(page, register, run_command):
    import json

    out, _ = run_command(
        "observatory_stats",
        "--territory",
        "28",
        "--sector",
        "numerique",
        "--at",
        "2019-01-01",
        "--format",
        "json",
    )
    expected = json.loads(out)
    page.goto("/observatoire/?territory=region:28&sector=numerique&at=2019-01-01")
    shown = (
        page.get_by_test_id("establishments")
        .inner_text()
        .replace("\u202f", "")
        .replace("\xa0", "")
        .replace(" ", "")
    )
    assert int(shown) == expected["establishments_active"]
    expect(page.locator("#demo-notice")).to_contain_text("démonstration")
    expect(page.locator("[data-choropleth][data-ready='1']")).to_have_count(1)
    assert page.locator(".leaflet-interactive").count() == 5  # the five départements
    row = page.get_by_role("row", name=re.compile(r"^14 "))
    expect(row).to_contain_text(str(expected["by_departement"]["14"]))
    page.get_by_label("Carte par").select_option("commune")
    page.get_by_role("button", name="Afficher").click()
    # 2,709 commune outlines (3 MB) take a few seconds to draw on a loaded machine.
    expect(page.locator("[data-choropleth][data-ready='1']")).to_have_count(1, timeout=30_000)
    assert page.locator(".leaflet-interactive").count() > 2000


def test_directory_and_observatory_pages_are_accessible(page, register, axe_violations):
    found = {}
    for path in ["/annuaire/", "/annuaire/?q=logiciels", "/observatoire/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations = axe_violations()
        if violations:
            found[path] = violations
    unit = LegalUnit.objects.first()
    page.goto(f"/annuaire/{unit.siren}/")
    found_unit = axe_violations()
    assert found == {}
    assert found_unit == []


DIGITAL_CODES = {code for code, _comment in DIGITAL_SECTOR["codes"]}


def search_from_the_form(page, words: str) -> None:
    page.goto("/annuaire/")
    expect(page.get_by_label("Filière")).to_have_value(DEFAULT_SECTOR)
    page.get_by_label("Recherche").fill(words)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results")).to_contain_text("par pertinence")


def result_nafs(page) -> list[str]:
    return re.findall(r"NAF (\d\d\.\d\d[A-Z])", page.locator("#results").inner_text())


def test_a_word_of_the_offers_finds_the_firms_that_offer_it(page, offers, axe_violations):
    mention = Establishment.objects.filter(
        status="A",
        naf__in=DIGITAL_CODES,
        legal_unit__offer__is_published=True,
        legal_unit__offer__summary__icontains="cybersécurité",
    ).count()
    assert mention > 0
    search_from_the_form(page, "cybersécurité")
    found = int(
        re.search(r"(\d+) établissements? trouvé", page.locator("#results").inner_text())[1]
    )
    assert found >= mention
    first = page.locator("#results .card").first
    expect(first.locator(".match-reasons")).to_contain_text("Offre :")
    expect(first.locator(".match-reasons mark").first).to_have_text(
        re.compile("cybersécurité", re.IGNORECASE)
    )
    assert axe_violations() == []


def test_web_development_in_caen_lists_the_digital_firms_first(page, offers):
    search_from_the_form(page, "développement web Caen")
    nafs = result_nafs(page)
    assert nafs
    assert set(nafs) <= DIGITAL_CODES
    # « Toutes activités » is a choice: the firms whose offers say it still come near the top
    # (a firm of another activity named « Web… » in Caen may rank among them).
    digital_only = page.locator("#results").inner_text()
    page.get_by_label("Filière").select_option("")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile("sector=&"))
    # The results of every activity, not the digital ones still on the page.
    expect(page.locator("#results")).not_to_have_text(digital_only)
    assert set(result_nafs(page)[:3]) & DIGITAL_CODES


def test_a_signed_in_person_contacts_a_firm_and_reads_where_the_message_went(
    page, offers, login, axe_violations
):
    firm = LegalUnit.objects.filter(
        organisation__isnull=True, offer__isnull=False, contact_email__endswith=".demo.filiere.fr"
    ).first()
    person = UserFactory(email="jeanne@cidrerie.test", first_name="Jeanne", last_name="Lemoine")
    page.goto(f"/annuaire/{firm.siren}/")
    expect(
        page.get_by_role("link", name="Connectez-vous pour contacter cette entreprise")
    ).to_be_visible()
    login(person.email, "motdepasse-test")
    page.goto(f"/annuaire/{firm.siren}/")
    assert axe_violations() == []
    mail.outbox.clear()
    page.get_by_role("heading", name="Contacter").scroll_into_view_if_needed()
    page.get_by_label("Votre message").fill("Bonjour, pourriez-vous auditer notre réseau ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Message envoyé à {firm.name}. Transmis à l'adresse de contact de l'entreprise."
    )
    (sent,) = [m for m in mail.outbox if firm.contact_email in m.to]
    assert "pourriez-vous auditer notre réseau" in sent.body
    assert "jeanne@cidrerie.test" in sent.body


def test_the_first_view_maps_its_figures_in_colours_spread_over_their_range(page, register):
    """The first view's map (no query) is of its figures: the départements in more than one
    colour, the legend running from the smallest figure to the largest."""
    page.goto("/observatoire/")
    expect(page.locator("[data-choropleth][data-ready='1']")).to_have_count(1)
    url = page.locator("[data-choropleth]").get_attribute("data-geojson")
    figures = [f["properties"]["value"] for f in page.request.get(url).json()["features"]]
    assert len(figures) == 5
    assert min(figures) > 0
    fills = page.locator(".leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert len(set(fills)) > 1
    legend = page.locator(".map-legend li").all_inner_texts()
    bounds = [int(re.sub(r"\D", "", n)) for n in re.split("–", " – ".join(legend))]
    assert (bounds[0], bounds[-1]) == (min(figures), max(figures))
    assert bounds == sorted(bounds)
