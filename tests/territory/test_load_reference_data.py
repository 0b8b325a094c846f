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


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def counts():
    return [
        m.objects.count() for m in (Region, Departement, Epci, Commune, CommuneCodeChange, NafCode)
    ]


@pytest.mark.django_db
def test_loads_the_territory_and_naf_and_is_idempotent(run_command):
    out, _ = run_command("load_reference_data")
    assert "communes: 3290" in out
    first = counts()
    assert first[:2] == [26, 109]
    assert first[2] == 71
    assert (
        first[5] == 732 + 615 + 272 + 88 + 21
    )  # sub-classes, classes, groups, divisions, sections

    run_command("load_reference_data")
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
    assert Boundary.objects.filter(level="departement").count() == 5

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
def test_communes_created_by_a_merger_get_a_centroid(run_command):
    run_command("load_reference_data")
    missing = Commune.objects.filter(kind="commune-actuelle", latitude__isnull=True).count()
    assert missing == 0


@pytest.mark.django_db
def test_old_commune_codes_resolve(run_command):
    run_command("load_reference_data")
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
        run_command("load_reference_data", data_dir=data_copy)
    assert counts() == [0] * 6


@pytest.mark.django_db
def test_bad_values_are_located_and_nothing_changes(data_copy, run_command):
    run_command("load_reference_data")
    before = counts()
    communes = json.loads((data_copy / "geo" / "communes_normandie.json").read_text())
    communes[5]["departement"] = "99"
    communes[7]["population"] = -3
    (data_copy / "geo" / "communes_normandie.json").write_text(json.dumps(communes))
    centroids = data_copy / "geo" / "communes_normandie_2018_centroids.csv"
    lines = centroids.read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",abc"
    centroids.write_text("\n".join(lines) + "\n")
    Region.objects.filter(code="28").update(name="Changed")

    with pytest.raises(CommandError) as excinfo:
        run_command("load_reference_data", data_dir=data_copy)
    assert "3 erreurs" in str(excinfo.value)
    assert counts() == before
    assert Region.objects.get(code="28").name == "Changed"


@pytest.mark.django_db
def test_error_messages_name_file_line_and_field(data_copy):
    from filiere.territory.reference import read_reference_data

    (data_copy / "geo" / "epci_normandie.json").write_text('[{"code": "1",\n "nom": }]')
    centroids = data_copy / "geo" / "communes_normandie_2018_centroids.csv"
    lines = centroids.read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",abc"
    centroids.write_text("\n".join(lines) + "\n")
    _data, errors = read_reference_data(data_copy)
    messages = [str(e) for e in errors]
    assert any("epci_normandie.json, ligne 2" in m and "JSON invalide" in m for m in messages)
    assert any("centroids.csv, ligne 4, champ « lat/lon »" in m for m in messages)
