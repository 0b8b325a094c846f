import re

import pytest
from playwright.sync_api import expect

from filiere.common.command import Summary
from filiere.directory.models import LegalUnit
from filiere.observatory.demo import demo_register_load
from filiere.territory.sectors import DIGITAL_SECTOR
from filiere.territory.services import sector_definition_install

pytestmark = pytest.mark.browser


@pytest.fixture
def register(transactional_db, run_command):
    """The real territory, and a small generated register of Normandy (flagged demo)."""
    # The live server's tests flush the database, migration data included: put the
    # shipped sector definition back.
    sector_definition_install(spec=DIGITAL_SECTOR)
    run_command("load_reference_data")
    demo_register_load(rows=3000)
    return Summary()


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
