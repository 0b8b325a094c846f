import gzip
import json
import shutil

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from filiere.territory.models import (
    Boundary,
    Commune,
    CommuneCodeChange,
    Departement,
    Epci,
    NafCode,
    Region,
)
from filiere.territory.selectors import current_commune_code

NORMANDY = ("--regions", "28")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    # The commune outlines are the observatory's, not the load's.
    shutil.copytree(settings.DATA_DIR, target, ignore=shutil.ignore_patterns("*.md", "communes"))
    return target


def counts():
    return [
        m.objects.count() for m in (Region, Departement, Epci, Commune, CommuneCodeChange, NafCode)
    ]


def read_gz(path):
    return json.loads(gzip.decompress(path.read_bytes()))


def write_gz(path, content):
    path.write_bytes(gzip.compress(json.dumps(content).encode()))


@pytest.mark.django_db
def test_loads_the_territory_and_naf_and_is_idempotent(run_command):
    out, _ = run_command("load_reference_data", *NORMANDY)
    assert "communes: 3290" in out
    first = counts()
    # Régions, départements and their outlines load whole; communes and EPCI, Normandy's.
    assert first[:2] == [18, 101]
    assert first[2] == 71
    assert (
        first[5] == 732 + 615 + 272 + 88 + 21
    )  # sub-classes, classes, groups, divisions, sections

    run_command("load_reference_data", *NORMANDY)
    assert counts() == first

    caen = Commune.objects.select_related("departement__region", "epci").get(code="14118")
    assert caen.name == "Caen"
    assert caen.departement.region.name == "Normandie"
    assert caen.epci.name.startswith("CU Caen")
    assert "14000" in caen.postcodes
    assert caen.population > 100_000
    assert 49.1 < caen.latitude < 49.2
    assert -0.4 < caen.longitude < -0.3
    region = Boundary.objects.get(level="region", code="28")
    assert region.feature["geometry"]["type"] == "MultiPolygon"
    assert Boundary.objects.filter(level="departement").count() == 101

    programming = NafCode.objects.select_related("parent__parent__parent__parent").get(
        code="62.01Z"
    )
    assert programming.parent.code == "62.01"
    assert programming.parent.parent.parent.parent.code == "J"

    delegated = Commune.objects.get(code="14002")  # Acqueville, delegated to 14150
    assert delegated.parent.code == "14150"
    # Valambray (current) and Airan (delegated, its chef-lieu) share the code 14005.
    valambray, airan = Commune.objects.filter(code="14005").order_by("kind")
    assert (valambray.name, valambray.kind) == ("Valambray", "commune-actuelle")
    assert (airan.name, airan.parent_id) == ("Airan", valambray.pk)
    assert Commune.objects.current().count() == 2644


@pytest.mark.django_db
def test_the_whole_of_france_loads_by_default(run_command):
    out, _ = run_command("load_reference_data")
    assert "communes: 37451" in out
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Commune.objects.current().count() == 34_875
    assert 1_200 < Epci.objects.count() < 1_300
    rennes = Commune.objects.select_related("departement__region", "epci").get(code="35238")
    assert rennes.departement.region.name == "Bretagne"
    assert rennes.epci.name == "Rennes Métropole"
    assert {"35000", "35200", "35700"} <= set(rennes.postcodes)
    assert rennes.population > 200_000
    assert 48.0 < rennes.latitude < 48.2
    assert -1.8 < rennes.longitude < -1.6
    # Overseas too (Mayotte's communes), and a centroid for every current commune: those
    # created by a merger since 2018 get the mean of their predecessors', those re-created
    # out of another the centroid of the one they left.
    assert Commune.objects.filter(departement__code="976").count() == 17
    # The register's establishments in Paris, Lyon and Marseille carry their district's code.
    assert current_commune_code("75108") == "75056"
    assert current_commune_code("69381") == "69123"
    assert current_commune_code("13201") == "13055"
    assert not Commune.objects.current().filter(latitude__isnull=True).exists()
    outlines = set(Boundary.objects.values_list("level", "code"))
    assert {("region", code) for code in Region.objects.values_list("code", flat=True)} <= outlines
    assert {
        ("departement", code) for code in Departement.objects.values_list("code", flat=True)
    } <= outlines


@pytest.mark.django_db
def test_regions_loads_the_communes_and_epci_of_those_regions_only(run_command):
    run_command("load_reference_data", "--regions", "53")
    assert set(Commune.objects.values_list("departement__code", flat=True).distinct()) == {
        "22",
        "29",
        "35",
        "56",
    }
    assert Commune.objects.current().count() == 1202
    assert Commune.objects.get(code="35238").epci.name == "Rennes Métropole"
    # Every EPCI loaded has a Breton member.
    assert not Epci.objects.exclude(communes__departement__region__code="53").exists()
    assert Region.objects.count() == 18


@pytest.mark.django_db
def test_municipal_districts_name_their_commune_whatever_the_regions(run_command):
    run_command("load_reference_data", *NORMANDY)
    assert not Commune.objects.filter(code="75108").exists()
    assert current_commune_code("75108") == "75056"


@pytest.mark.django_db
def test_an_unknown_region_is_refused_and_nothing_is_written(run_command):
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run_command("load_reference_data", "--regions", "28,99")
    assert counts() == [0] * 6


@pytest.mark.django_db
def test_communes_created_by_a_merger_get_a_centroid(run_command):
    run_command("load_reference_data", *NORMANDY)
    missing = Commune.objects.filter(kind="commune-actuelle", latitude__isnull=True)
    # Sannerville (14666), re-created out of Troarn, has no 2018 polygon of its own.
    assert list(missing.values_list("code", flat=True)) == []
    assert Commune.objects.get(code="14666").latitude is not None


@pytest.mark.django_db
def test_old_commune_codes_resolve(run_command):
    run_command("load_reference_data", *NORMANDY)
    # Cherbourg-Octeville (50129) merged into Cherbourg-en-Cotentin in 2016.
    assert current_commune_code("50129") == "50129"
    assert current_commune_code("50173") == "50129"  # Équeurdreville-Hainneville
    assert current_commune_code("99999") == "99999"  # unknown: unchanged
    # Sannerville left Troarn, which still exists: the code stays Troarn's.
    assert current_commune_code("14712") == "14712"
    # 52427 was split between 52266 and 52331 and no longer exists: no single answer.
    assert current_commune_code("52427") is None


@pytest.mark.django_db
def test_a_missing_file_is_reported_and_nothing_is_written(data_copy, run_command):
    (data_copy / "geo" / "regions.json").unlink()
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run_command("load_reference_data", *NORMANDY, data_dir=data_copy)
    assert counts() == [0] * 6


@pytest.mark.django_db
def test_a_corrupt_gzip_is_located_and_nothing_changes(data_copy, run_command):
    run_command("load_reference_data", *NORMANDY)
    before = counts()
    Region.objects.filter(code="28").update(name="Changed")
    communes = data_copy / "geo" / "communes.json.gz"
    communes.write_bytes(communes.read_bytes()[:5000])  # cut short

    with pytest.raises(CommandError) as excinfo:
        run_command("load_reference_data", *NORMANDY, data_dir=data_copy)
    assert "1 erreur" in str(excinfo.value)
    assert counts() == before
    assert Region.objects.get(code="28").name == "Changed"


@pytest.mark.django_db
def test_bad_values_are_located_and_nothing_changes(data_copy, run_command):
    run_command("load_reference_data", *NORMANDY)
    before = counts()
    path = data_copy / "geo" / "communes.json.gz"
    communes = read_gz(path)
    caen = next(i for i, c in enumerate(communes) if c["code"] == "14118")
    communes[caen]["departement"] = "99"
    communes[caen + 1]["population"] = -3
    write_gz(path, communes)
    centroids = data_copy / "geo" / "communes_2018_centroids.csv.gz"
    lines = gzip.decompress(centroids.read_bytes()).decode().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",abc"
    centroids.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    Region.objects.filter(code="28").update(name="Changed")

    with pytest.raises(CommandError) as excinfo:
        run_command("load_reference_data", *NORMANDY, data_dir=data_copy)
    assert "3 erreurs" in str(excinfo.value)
    assert counts() == before
    assert Region.objects.get(code="28").name == "Changed"


@pytest.mark.django_db
def test_error_messages_name_file_line_and_field(data_copy):
    from filiere.territory.reference import read_reference_data

    epci = data_copy / "geo" / "epci.json.gz"
    epci.write_bytes(gzip.compress(b'[{"code": "1",\n "nom": }]'))
    path = data_copy / "geo" / "communes.json.gz"
    communes = read_gz(path)
    communes[12]["codesPostaux"] = ["1400"]
    write_gz(path, communes)
    centroids = data_copy / "geo" / "communes_2018_centroids.csv.gz"
    lines = gzip.decompress(centroids.read_bytes()).decode().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",abc"
    centroids.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    (data_copy / "geo" / "regions.geojson.gz").write_bytes(b"not gzip")
    _data, errors = read_reference_data(data_copy)
    messages = [str(e) for e in errors]
    assert any("epci.json.gz, ligne 2" in m and "JSON invalide" in m for m in messages)
    assert any("centroids.csv.gz, ligne 4, champ « lat/lon »" in m for m in messages)
    assert any("communes.json.gz, champ « [12].codesPostaux »" in m for m in messages)
    assert any("regions.geojson.gz" in m and "gzip illisible" in m for m in messages)
