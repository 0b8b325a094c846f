"""The observatory's figures against a small case computed by hand."""

import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from filiere.directory.models import Establishment
from filiere.directory.search import directory_changed
from filiere.observatory.selectors import observatory_scope, stats_key
from filiere.observatory.services import register_imported
from filiere.programme.models import Contract, Indicator
from filiere.territory.models import Commune, Departement, Epci
from filiere.territory.services import sector_definition_create
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EstablishmentFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


NORMANDY_2019 = ("--territory", "28", "--sector", "numerique", "--at", "2019-01-01")


def digital_stats(run_command, *args) -> dict:
    """What ``observatory_stats … --format json`` prints, read back."""
    out, _ = run_command("observatory_stats", "--format", "json", *args)
    return json.loads(out)


@pytest.fixture
def small_case(db):
    """Seven establishments in Normandy (two départements), as of 2019-01-01:

    | # | dep | NAF    | band | created    | closed     | active on 2019-01-01 |
    | 1 | 14  | 62.01Z | 01   | 2010-05-01 | —          | yes                  |
    | 2 | 14  | 62.01Z | 11   | 2018-03-01 | —          | yes                  |
    | 3 | 14  | 62.02A | NN   | 2015-01-01 | 2018-06-30 | no (closed 2018)     |
    | 4 | 76  | 58.29C | 02   | 2016-09-01 | 2020-02-01 | yes (closed later)   |
    | 5 | 76  | 62.01Z | 01   | 2019-06-01 | —          | no (created later)   |
    | 6 | 76  | 47.11F | 12   | 2000-01-01 | —          | yes, not digital     |
    | 7 | 14  | 56.10A | 00   | 2018-02-01 | 2018-12-01 | no, not digital      |
    Digital active: #1, #2, #4 → 3; by département 14: 2, 76: 1.
    Jobs: 01 (1–2) + 11 (10–19) + 02 (3–5) → low 14, central 1.5 + 14.5 + 4 = 20, high 26.
    Economy active: #1, #2, #4, #6 → 4; share 3/4.
    Creations ≤ 2019-01-01 (digital): 2010: 1, 2015: 1, 2016: 1, 2018: 1; closures: 2018: 1.
    """
    region = RegionFactory(code="28", name="Normandie")
    DepartementFactory(code="14", name="Calvados", region=region)
    DepartementFactory(code="76", name="Seine-Maritime", region=region)
    rows = [
        ("14", "62.01Z", "01", date(2010, 5, 1), None),
        ("14", "62.01Z", "11", date(2018, 3, 1), None),
        ("14", "62.02A", "NN", date(2015, 1, 1), date(2018, 6, 30)),
        ("76", "58.29C", "02", date(2016, 9, 1), date(2020, 2, 1)),
        ("76", "62.01Z", "01", date(2019, 6, 1), None),
        ("76", "47.11F", "12", date(2000, 1, 1), None),
        ("14", "56.10A", "00", date(2018, 2, 1), date(2018, 12, 1)),
    ]
    for dep, naf, band, created, closed in rows:
        EstablishmentFactory(
            departement_code=dep,
            naf=naf,
            headcount_band=band,
            created_on=created,
            closed_on=closed,
            status="F" if closed else "A",
            commune_code=f"{dep}001",
        )


def test_figures_match_the_hand_computed_case(small_case, run_command):
    figures = digital_stats(run_command, *NORMANDY_2019)
    assert figures["establishments_active"] == 3
    assert figures["jobs_estimate"] == {"low": 14, "central": 20.0, "high": 26}
    assert figures["by_departement"] == {"14": 2, "76": 1}
    assert figures["economy_active"] == 4
    assert figures["share_of_economy"] == 0.75
    assert figures["creations_closures"] == [
        {"year": 2010, "created": 1, "closed": 0, "net": 1},
        {"year": 2015, "created": 1, "closed": 0, "net": 1},
        {"year": 2016, "created": 1, "closed": 0, "net": 1},
        {"year": 2018, "created": 1, "closed": 1, "net": 0},
    ]


def test_today_is_the_default_date_and_departements_can_be_named(small_case, run_command):
    figures = digital_stats(run_command, "--territory", "14,76", "--sector", "numerique")
    # Today: #4 closed in 2020, #5 opened in 2019 → #1, #2, #5.
    assert figures["establishments_active"] == 3
    assert figures["by_departement"] == {"14": 2, "76": 1}
    figures = digital_stats(run_command, "--territory", "dep:76")
    assert figures["establishments_active"] == 2  # #5 and #6, all activities


def test_observatory_page_tables_and_csv(client, small_case, django_assert_max_num_queries):
    url = reverse("observatory:home")
    params = {"territory": "region:28", "sector": "numerique", "at": "2019-01-01"}
    with django_assert_max_num_queries(30):
        page = client.get(url, params).content.decode()
    assert 'data-testid="establishments">3<' in page
    # The figures are kept in the shared cache for this state of the register: the next view
    # reads them there.
    with django_assert_max_num_queries(12):
        again = client.get(url, params).content.decode()
    assert 'data-testid="establishments">3<' in again
    assert "demo-notice" not in page  # nothing here is demo
    response = client.get(reverse("observatory:csv", kwargs={"kind": "departements"}), params)
    assert response.content.decode("utf-8-sig").splitlines() == [
        "departement;etablissements_actifs",
        "14;2",
        "76;1",
    ]
    series = client.get(reverse("observatory:csv", kwargs={"kind": "creations-fermetures"}), params)
    assert "2018;1;1;0" in series.content.decode("utf-8-sig")
    shapes = client.get(reverse("observatory:departements"), params).json()
    assert shapes["type"] == "FeatureCollection"


def test_contract_indicators_are_computed_from_the_register(client, normandy_contract):
    EstablishmentFactory(
        departement_code="14", naf="62.01Z", headcount_band="11", created_on=date(2012, 1, 1)
    )
    DepartementFactory(code="14", name="Calvados", region=normandy_contract.region)
    response = client.get(f"/api/contracts/{normandy_contract.slug}/indicators")
    indicators = {i["code"]: i for i in response.json()}
    assert indicators["etablissements-filiere"]["latest_value"] == 1
    assert indicators["emplois-filiere"]["latest_value"] == 14  # central 14.5, rounded to even
    assert indicators["etablissements-filiere"]["is_demo"] is False


def test_a_contract_counts_the_sector_it_observes(client, normandy_contract):
    """An aeronautics contract's register indicators count its sector's firms, not the
    digital ones; the observatory recalls its baselines under that sector only."""
    DepartementFactory(code="14", name="Calvados", region=normandy_contract.region)
    EstablishmentFactory(departement_code="14", naf="62.01Z", created_on=date(2012, 1, 1))
    for _ in range(3):
        EstablishmentFactory(departement_code="14", naf="30.30Z", created_on=date(2012, 1, 1))
    sector_definition_create(
        slug="aeronautique",
        name="Aéronautique",
        description="",
        source="Test",
        codes=[("30.30Z", "Construction aéronautique et spatiale")],
    )
    Contract.objects.filter(pk=normandy_contract.pk).update(observed_sector="aeronautique")
    response = client.get(f"/api/contracts/{normandy_contract.slug}/indicators")
    indicators = {i["code"]: i for i in response.json()}
    assert indicators["etablissements-filiere"]["latest_value"] == 3

    def recalled(sector):
        page = client.get(reverse("observatory:home"), {"territory": "region:28", "sector": sector})
        return [i.code for i in page.context["baselines"]]

    assert "etablissements-filiere" in recalled("aeronautique")
    assert recalled("numerique") == []
    # The page is public: an unpublished contract, or indicator, is not recalled there.
    Indicator.objects.filter(code="emplois-filiere").update(is_published=False)
    assert "emplois-filiere" not in recalled("aeronautique")
    Contract.objects.filter(pk=normandy_contract.pk).update(is_published=False)
    assert recalled("aeronautique") == []


def test_epci_breakdown(small_case, run_command):
    epci = Epci.objects.create(code="200065597", name="CU Caen la mer", kind="CU")
    commune = Commune.objects.create(
        code="14001",
        name="Ablon",
        kind="commune-actuelle",
        departement=Departement.objects.get(code="14"),
        epci=epci,
    )
    Establishment.objects.filter(commune_code="14001").update(commune=commune)
    figures = digital_stats(run_command, *NORMANDY_2019)
    assert figures["by_epci"] == {"200065597": 2, "": 1}


def test_the_api_gives_the_same_figures(client, small_case, run_command):
    figures = digital_stats(run_command, *NORMANDY_2019)
    response = client.get(
        "/api/observatory/stats", {"territory": "28", "sector": "numerique", "at": "2019-01-01"}
    )
    assert response.status_code == 200
    assert response.json() == figures
    assert client.get("/api/observatory/stats", {"territory": "dep:99"}).status_code == 422


def test_a_day_to_come_or_before_the_register_is_refused_and_nothing_is_kept(client, small_case):
    """Each day asked for computes and keeps its figures: days are bounded, so that nobody
    can make the platform compute and store thousands of them."""
    params = {"territory": "region:28", "sector": "numerique"}
    for day in ("9999-12-31", "1850-01-01"):
        page = client.get(reverse("observatory:home"), {**params, "at": day})
        assert page.status_code == 422
        assert "La date doit tomber entre le 01/01/1900 et le" in page.content.decode()
        api = client.get("/api/observatory/stats", {"territory": "28", "at": day})
        assert (api.status_code, api.json()["rule"]) == (422, "input.date_out_of_range")
    territory, sector = observatory_scope("region:28", "numerique")
    for day in (date(9999, 12, 31), date(1850, 1, 1)):
        assert cache.get(stats_key(territory=territory, sector=sector, at=day)) is None


def test_kept_figures_follow_the_register(small_case, run_command):
    assert digital_stats(run_command, *NORMANDY_2019)["establishments_active"] == 3
    EstablishmentFactory(departement_code="76", naf="62.01Z", created_on=date(2015, 1, 1))
    assert digital_stats(run_command, *NORMANDY_2019)["establishments_active"] == 3  # not yet told
    directory_changed()  # what every import and profile edit does
    assert digital_stats(run_command, *NORMANDY_2019)["establishments_active"] == 4


def test_the_form_says_the_sector_the_figures_are_of_and_sent_unchanged_keeps_them(
    client, small_case
):
    CommuneFactory()  # Caen: the form offers the territories it has communes for
    url = reverse("observatory:home")
    first = client.get(url)
    form = first.context["form"]
    assert form["sector"].value() == first.context["values"]["sector"] == "numerique"
    digital = first.context["stats"].establishments_active
    # « Afficher » sends what the form shows: the same figures.
    sent = {name: form[name].value() or "" for name in ("sector", "level")}
    again = client.get(url, {**sent, "territory": "region:28"})
    assert again.context["stats"].establishments_active == digital
    # « Toutes activités », chosen, counts every activity.
    every = client.get(url, {"territory": "region:28", "sector": ""})
    assert every.context["stats"].sector is None
    assert first.context["stats"].sector.slug == "numerique"


def test_the_first_view_its_form_and_its_map_are_of_the_same_figures(client, small_case):
    """The first view has no query: its map and its downloads say the sector and the day its
    figures are of, as its form does (the map was asked with nothing, and drew zeros)."""
    from urllib.parse import parse_qs, urlsplit

    from django.utils import timezone

    from filiere.territory.models import Boundary

    for code in ("14", "76"):
        Boundary.objects.create(level="departement", code=code, feature={"type": "Feature"})
    CommuneFactory()
    first = client.get(reverse("observatory:home"))
    page = first.content.decode()
    form, stats = first.context["form"], first.context["stats"]
    today = timezone.localdate()
    assert (form["sector"].value(), form["at"].value()) == ("numerique", today)
    map_url = re.search(r'data-geojson="([^"]+)"', page).group(1).replace("&amp;", "&")
    asked = {name: values[0] for name, values in parse_qs(urlsplit(map_url).query).items()}
    assert asked == {
        "territory": "region:28",
        "sector": "numerique",
        "at": today.isoformat(),
        "level": "departement",
    }
    shapes = client.get(map_url).json()["features"]
    mapped = {shape["properties"]["code"]: shape["properties"]["value"] for shape in shapes}
    assert mapped == stats.by_departement
    assert len(set(mapped.values())) > 1  # two départements, two colours
    # The downloads are of the same figures.
    assert f"{reverse('observatory:csv', args=['departements'])}?{urlsplit(map_url).query}" in (
        page.replace("&amp;", "&")
    )


def test_the_page_gives_whole_jobs_as_the_indicator_rounds_them(client, small_case):
    """Today: bands 01 (1.5), 11 (14.5) and 01 (1.5) → 17.5 jobs, « 18 » on the page (it said
    « 17,5 »), the same whole number as the contract's jobs indicator."""
    from engine.register.jobs import jobs_estimate

    page = client.get(reverse("observatory:home"), {"sector": "numerique"}).content.decode()
    assert jobs_estimate({"01": 2, "11": 1}).jobs == 18
    assert 'data-testid="jobs">18<' in page


def test_after_an_import_a_worker_computes_the_first_views(
    client, small_case, django_assert_max_num_queries
):
    """The import enqueues ``precompute_observatory`` once it commits (at once in the tests,
    where the task runs in the test's process): the page's first view then reads its figures
    from the shared cache."""
    register_imported(departements=("14", "76"))
    territory, sector = observatory_scope("region:28", "numerique")
    today = timezone.localdate()
    assert cache.get(stats_key(territory=territory, sector=sector, at=today)) is not None
    assert cache.get(stats_key(territory=territory, sector=None, at=date(today.year, 1, 1)))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("observatory:home"))
    assert page.status_code == 200
