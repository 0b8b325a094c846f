"""The directory's index is built by a worker, never by a search: a profile edit is found by
the next search with no build, an import asks for a build, and before the first build a
search answers from the names."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from filiere.common.models import IndexBuild
from filiere.directory import search
from filiere.directory.models import Establishment, FirmTextsChange, Label, LegalUnit
from filiere.directory.selectors import DirectoryFilters, filtered_establishments, search_directory
from filiere.directory.services.profiles import profile_update
from filiere.directory.tasks import rebuild_directory_index
from filiere.territory.models import Epci
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EstablishmentFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
)

SIRENE = Path(__file__).resolve().parents[1] / "fixtures" / "sirene"

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(db):
    software = LegalUnitFactory(name="Logiciels du Bocage", description="Développement d'ERP")
    EstablishmentFactory(legal_unit=software, name="Logiciels du Bocage", city="CAEN")
    EstablishmentFactory(legal_unit=software, name="Logiciels du Bocage — Rouen", city="ROUEN")
    bakery = LegalUnitFactory(name="Boulangerie Saint-Jean")
    EstablishmentFactory(legal_unit=bakery, name="Boulangerie Saint-Jean", city="ROUEN")
    return software, bakery


@pytest.fixture
def built(firms):
    rebuild_directory_index()
    return firms


@pytest.fixture
def worker(monkeypatch):
    """Searches fail if they build the index; ``worker()`` runs the task, which builds."""
    real = search._index._build

    def refused():
        raise AssertionError("A search built the index")

    def run(**options):
        monkeypatch.setattr(search._index, "_build", real)
        try:
            rebuild_directory_index(**options)
        finally:
            monkeypatch.setattr(search._index, "_build", refused)

    monkeypatch.setattr(search._index, "_build", refused)
    return run


def names(client, q: str) -> list[str]:
    page = client.get(reverse("directory:list"), {"q": q, "sector": ""}).content.decode()
    return re.findall(r'<a href="/annuaire/\d+/">([^<]+)</a>', page)


def edit(unit, description: str, tags=()) -> None:
    profile_update(unit=unit, description=description, website="", contact_email="", tags=tags)


def test_a_profile_edit_is_found_by_the_next_search_with_no_build(client, built, worker):
    software, bakery = built
    assert names(client, "erp") == ["Logiciels du Bocage", "Logiciels du Bocage — Rouen"]
    edit(bakery, "Viennoiseries et cryogénie des pâtes", tags=["Froid"])
    edit(software, "Intégration de progiciels")
    page = client.get(reverse("directory:list"), {"q": "cryogénie", "sector": ""}).content
    assert "Boulangerie Saint-Jean" in page.decode()
    found = r"Présentation :</strong>\s*Viennoiseries et <mark>cryogénie</mark>"
    assert re.search(found, page.decode())
    assert names(client, "froid") == ["Boulangerie Saint-Jean"]
    # The former texts are searched no more, the firm's other words still are.
    assert names(client, "erp") == []
    assert names(client, "logiciels progiciels")[:2] == [
        "Logiciels du Bocage",
        "Logiciels du Bocage — Rouen",
    ]
    assert IndexBuild.objects.filter(name="directory").count() == 1


def test_the_task_builds_and_searches_then_use_its_build(client, built, worker):
    software, _bakery = built
    edit(software, "Cryogénie industrielle")
    assert FirmTextsChange.objects.count() == 1
    first = IndexBuild.objects.get(name="directory")
    worker()
    latest = IndexBuild.objects.filter(name="directory").latest("started_at")
    assert latest != first
    assert search._index.get().value.units.tolist().count(software.pk) == 2
    assert names(client, "cryogenie") == ["Logiciels du Bocage", "Logiciels du Bocage — Rouen"]
    # The same build asked again, by a request made before this one started, is not redone.
    worker(requested_at=first.started_at.isoformat())
    assert IndexBuild.objects.filter(name="directory").count() == 2


def test_the_changes_a_build_has_read_are_forgotten(built, monkeypatch):
    software, _bakery = built
    edit(software, "Cryogénie industrielle")
    monkeypatch.setattr(search, "COMMIT_MARGIN", search.COMMIT_MARGIN * 0)
    rebuild_directory_index()
    assert not FirmTextsChange.objects.exists()


def test_before_the_first_build_a_search_finds_names_and_asks_a_worker_once(
    client, firms, monkeypatch
):
    asked = []
    monkeypatch.setattr(rebuild_directory_index, "delay", lambda **kw: asked.append(kw))
    page = client.get(reverse("directory:list"), {"q": "boulangerie", "sector": ""}).content
    assert "Boulangerie Saint-Jean" in page.decode()
    assert "Logiciels du Bocage" not in page.decode()
    assert "La recherche complète est en préparation" in page.decode()
    assert names(client, "bocage") == ["Logiciels du Bocage", "Logiciels du Bocage — Rouen"]
    points = client.get(reverse("directory:map"), {"q": "bocage", "sector": ""}).json()
    assert points["type"] == "FeatureCollection"
    assert len(asked) == 1
    assert not IndexBuild.objects.exists()


def test_many_firms_changed_ask_for_a_build(built, monkeypatch, on_commit_at_once):
    software, bakery = built
    monkeypatch.setattr(search, "DELTA_LIMIT", 1)
    edit(software, "Cryogénie")
    assert IndexBuild.objects.filter(name="directory").count() == 1
    edit(bakery, "Cryogénie")
    assert IndexBuild.objects.filter(name="directory").count() == 2


def test_an_import_asks_for_a_build(client, run_command, on_commit_at_once, monkeypatch):
    region = RegionFactory(code="32", name="Hauts-de-France")
    for code in ("80", "62"):
        DepartementFactory(code=code, region=region)
    etablissements = SIRENE / "StockEtablissement_utf8_sample.csv"
    unites = SIRENE / "StockUniteLegale_utf8_sample.csv"
    run_command("import_sirene", str(etablissements), str(unites), "--territory", "80,62")
    build = IndexBuild.objects.get(name="directory")
    assert search._index.get().value.index.ids.tolist() == sorted(
        Establishment.objects.values_list("id", flat=True)
    )
    monkeypatch.setattr(search._index, "_build", lambda: pytest.fail("A search built"))
    active = Establishment.objects.filter(status="A").exclude(legal_unit=None)
    firm = active.select_related("legal_unit").first()
    page = client.get(reverse("directory:list"), {"q": firm.legal_unit.name, "sector": ""})
    assert f"SIRET {firm.siret}" in page.content.decode()
    assert IndexBuild.objects.get(name="directory") == build


def test_a_search_keeps_what_the_filters_keep(on_commit_at_once):
    """The filters of a ranked search read the fields of the index: they keep what the
    database's filters keep, each alone and combined."""
    epci = Epci.objects.create(code="200065597", name="Caen la Mer", kind="CU")
    caen = CommuneFactory(code="14118", epci=epci)
    rouen = CommuneFactory(code="76540", name="Rouen")
    label = Label.objects.create(
        slug="french-tech", name="French Tech", kind="label", granted_by=OrganisationFactory()
    )
    for n, (naf, band, status, commune) in enumerate(
        [
            ("62.01Z", "11", "A", caen),
            ("62.02A", "01", "A", rouen),
            ("10.71C", "NN", "A", caen),
            ("62.01Z", "32", "F", rouen),
            ("86.21Z", "12", "A", None),
        ]
    ):
        unit = LegalUnitFactory(name=f"Atelier {n}")
        EstablishmentFactory(
            legal_unit=unit,
            name=f"Atelier {n}",
            naf=naf,
            headcount_band=band,
            status=status,
            commune=commune,
            departement_code=commune.code[:2] if commune else "",
        )
        if n % 2:
            unit.labels.add(label)
    rebuild_directory_index()
    # A profile edited since the build: its establishment is read from the delta.
    profile_update(
        unit=LegalUnit.objects.get(name="Atelier 2"),
        description="",
        website="",
        contact_email="",
        tags=["Pain"],
    )
    choices = [
        {},
        {"include_closed": True},
        {"departement": "76", "include_closed": True},
        {"epci": "200065597"},
        {"naf": "62"},
        {"sector_codes": ("62.01Z", "10.71C")},
        {"size": "small"},
        {"label": "french-tech"},
        {"tag": "pain"},
        {"naf": "62", "size": "micro", "label": "french-tech", "include_closed": True},
    ]
    for choice in choices:
        filters = DirectoryFilters(q="atelier", **choice)
        result = search_directory(filters, page_number=1, per_page=100)
        assert result.ranked
        expected = set(filtered_establishments(filters).values_list("id", flat=True))
        assert {e.pk for e in result.page.object_list} == expected, choice
        assert result.total == len(expected), choice
