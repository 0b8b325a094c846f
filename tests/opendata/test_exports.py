import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from frictionless import Resource, Schema

from filiere.accounts.models import Organisation
from filiere.opendata.exports import EXPORTS
from filiere.programme.models import BudgetCommitment, Payment
from filiere.registers.models import ThirdPlace
from tests.factories import CommuneFactory, UserFactory

NAMES = ["scdl-subventions", "dispositif-aide", "lieux-mediation-numerique"]


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def validate(path) -> None:
    descriptor = settings.DATA_DIR / "schemas" / EXPORTS[path.stem].schema_file
    schema = Schema.from_descriptor(json.loads(descriptor.read_text()))
    report = Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", NAMES)
def test_each_export_validates_against_its_schema_from_the_command_and_its_url(
    open_world, run_command, tmp_path, client, name
):
    assert set(EXPORTS) == set(NAMES)
    out = tmp_path / f"{name}.csv"
    printed, _ = run_command("export_open_data", "--schema", name, "--out", str(out))
    rows = read(out.read_text(encoding="utf-8"))
    assert rows
    assert f"{EXPORTS[name].counted} exportés: {len(rows)}" in printed
    validate(out)

    response = client.get(reverse("opendata:export", args=[name]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    served = b"".join(response.streaming_content).decode()
    assert served == out.read_text(encoding="utf-8")
    assert not served.startswith("\ufeff")
    by_url = tmp_path / "by-url" / f"{name}.csv"
    by_url.parent.mkdir()
    by_url.write_text(served, encoding="utf-8")
    validate(by_url)


def test_the_aid_catalogue_page_offers_the_same_file_as_the_command(
    open_world, run_command, tmp_path, client
):
    out = tmp_path / "aides.csv"
    run_command("export_open_data", "--schema", "dispositif-aide", "--out", str(out))
    assert client.get(reverse("projects:export")).content.decode() == out.read_text()


def test_the_grants_name_the_region_and_read_their_payments(open_world, run_command, tmp_path):
    out = tmp_path / "subventions.csv"
    run_command("export_open_data", "--schema", "scdl-subventions", "--out", str(out))
    rows = {row["idSubvention"]: row for row in read(out.read_text())}
    counted = BudgetCommitment.objects.counted()
    assert len(rows) == counted.count()
    assert {row["nomAttribuant"] for row in rows.values()} == {"Région Normandie"}
    assert {row["idAttribuant"] for row in rows.values()} == {"20005376700014"}

    commitment = counted.filter(payments__isnull=False).first()
    row = rows[f"{open_world.slug}-{commitment.pk}"]
    assert row["nomBeneficiaire"] == commitment.beneficiary.name
    assert Decimal(row["montant"]) == commitment.amount_eur
    assert row["dateConvention"] == commitment.committed_on.isoformat()
    assert row["exerciceBudgetaire"] == str(commitment.year)

    # Two payments make it « échelonné », from the first to the last; one cancelled no longer
    # counts; none left: nothing paid yet, over the budget year.
    Payment.objects.filter(commitment=commitment).delete()
    for paid_on in (date(2018, 3, 1), date(2018, 9, 15)):
        Payment.objects.create(commitment=commitment, paid_on=paid_on, amount_eur=Decimal(100))
    Payment.objects.create(
        commitment=commitment, paid_on=date(2019, 1, 2), amount_eur=Decimal(5), is_cancelled=True
    )
    run_command("export_open_data", "--schema", "scdl-subventions", "--out", str(out))
    row = {r["idSubvention"]: r for r in read(out.read_text())}[row["idSubvention"]]
    assert row["conditionsVersement"] == "échelonné"
    assert row["datesPeriodeVersement"] == "2018-03-01/2018-09-15"
    assert row["descriptionConditionsVersement"].startswith("2 versements : 200.00 € versés")

    Payment.objects.filter(commitment=commitment, paid_on=date(2018, 9, 15)).delete()
    run_command("export_open_data", "--schema", "scdl-subventions", "--out", str(out))
    row = {r["idSubvention"]: r for r in read(out.read_text())}[row["idSubvention"]]
    assert (row["conditionsVersement"], row["datesPeriodeVersement"]) == ("unique", "2018-03-01")

    Payment.objects.filter(commitment=commitment).delete()
    run_command("export_open_data", "--schema", "scdl-subventions", "--out", str(out))
    row = {r["idSubvention"]: r for r in read(out.read_text())}[row["idSubvention"]]
    assert row["conditionsVersement"] == "autre"
    assert row["datesPeriodeVersement"] == f"{commitment.year}-01-01/{commitment.year}-12-31"
    validate(out.rename(tmp_path / "scdl-subventions.csv"))


def test_grants_of_an_attributor_without_siret_are_left_out_and_said(
    open_world, run_command, tmp_path
):
    Organisation.objects.filter(slug="region-normandie").update(siret="")
    out = tmp_path / "scdl-subventions.csv"
    printed, errors = run_command(
        "export_open_data", "--schema", "scdl-subventions", "--out", str(out)
    )
    assert read(out.read_text()) == []
    assert "subventions exportés: 0" in printed
    assert "laissés de côté (valeur requise manquante): 1" in printed
    assert "son pilote Région Normandie n'a pas de SIRET" in errors
    validate(out)


def test_third_places_in_the_national_standard(open_world, run_command, tmp_path):
    out = tmp_path / "lieux-mediation-numerique.csv"
    printed, errors = run_command(
        "export_open_data", "--schema", "lieux-mediation-numerique", "--out", str(out)
    )
    rows = {row["id"]: row for row in read(out.read_text())}
    with_pivot = ThirdPlace.objects.exclude(pivot="")
    # The 168 places of the ANCT, 85 with their SIRET; the others lack the standard's pivot.
    assert len(rows) == with_pivot.count() == 85
    assert errors.count("SIRET ou RNA") == 168 - 85
    assert "laissés de côté (valeur requise manquante): 83" in printed

    place = with_pivot.get(city="Montivilliers")
    row = rows[f"tiers-lieu-{place.pk}"]
    assert (row["pivot"], row["code_postal"], row["code_insee"]) == (
        "26760095500012",
        "76290",
        "76447",
    )
    assert row["services"] == (
        "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique"
    )
    assert row["date_maj"] == timezone.localdate(place.history.latest().history_date).isoformat()
    assert "ANCT" in row["source"]


def test_the_command_writes_on_standard_output_and_names_the_schemas(open_world, run_command):
    printed, errors = run_command("export_open_data", "--schema", "dispositif-aide", "--out", "-")
    lines = printed.splitlines()
    assert lines[0].startswith("id,titre,promesse,")
    assert len(lines) == 3
    assert "dispositifs exportés: 2" in errors

    with pytest.raises(Exception, match="scdl-subventions, dispositif-aide, lieux-mediation"):
        run_command("export_open_data", "--schema", "decp", "--out", "-")


def test_the_command_refuses_a_missing_folder_and_writes_nothing(open_world, run_command, tmp_path):
    with pytest.raises(Exception, match="n'existe pas"):
        run_command(
            "export_open_data",
            "--schema",
            "dispositif-aide",
            "--out",
            str(tmp_path / "x" / "a.csv"),
        )
    assert not (tmp_path / "x").exists()


def test_an_unknown_export_url_is_not_found(client, db):
    assert client.get(reverse("opendata:export", args=["decp"])).status_code == 404


def test_a_place_applying_with_its_siret_enters_the_national_export(db, client, run_command):
    CommuneFactory(code="76447", name="Montivilliers", postcodes=["76290"])
    client.force_login(UserFactory())
    url = reverse("registers:third_place_apply")
    form = {
        "name": "La Fabrique",
        "address": "1 rue du Port",
        "postcode": "76290",
        "city": "Montivilliers",
        "services": "Prendre en main un ordinateur, Fablab",
    }
    response = client.post(url, {**form, "pivot": "26760095500013"})
    assert response.status_code == 422
    assert "ni un SIRET valide ni un numéro RNA" in response.content.decode()
    assert not ThirdPlace.objects.exists()

    client.post(url, {**form, "pivot": "W123456789"})
    printed, _ = run_command(
        "export_open_data", "--schema", "lieux-mediation-numerique", "--out", "-"
    )
    (row,) = read(printed)
    assert (row["pivot"], row["code_insee"], row["source"]) == ("W123456789", "76447", "Filière")
    assert row["services"] == "Maîtrise des outils numériques du quotidien"
