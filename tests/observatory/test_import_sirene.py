"""import_sirene on the real format fixtures, corrupted copies and a newer stock."""

import csv
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from django.core.management.base import CommandError

from filiere.directory.models import Establishment, LegalUnit, RegisterImport
from tests.factories import DepartementFactory, RegionFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sirene"
ETAB = FIXTURES / "StockEtablissement_utf8_sample.csv"
UNITS = FIXTURES / "StockUniteLegale_utf8_sample.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def territory(db):
    region = RegionFactory(code="32", name="Hauts-de-France")
    DepartementFactory(code="80", name="Somme", region=region)
    DepartementFactory(code="62", name="Pas-de-Calais", region=region)
    DepartementFactory(
        code="44", name="Loire-Atlantique", region=RegionFactory(code="52", name="Pays de la Loire")
    )


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict], header=None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def expected_in(departements: set[str]) -> list[dict]:
    return [r for r in rows_of(ETAB) if r["codeCommuneEtablissement"][:2] in departements]


def test_imports_the_real_fixtures_and_is_idempotent(run_command):
    out, _ = run_command("import_sirene", str(ETAB), str(UNITS), "--territory", "80,62")
    wanted = expected_in({"80", "62"})
    assert Establishment.objects.count() == len(wanted) == 118
    assert f"établissements créés: {len(wanted)}" in out

    first = {e.siret: e for e in Establishment.objects.all()}
    sample = wanted[0]
    establishment = first[sample["siret"]]
    assert establishment.status == sample["etatAdministratifEtablissement"]
    assert establishment.naf == sample["activitePrincipaleEtablissement"]
    assert establishment.departement_code == sample["codeCommuneEtablissement"][:2]
    if establishment.status == "F":
        assert establishment.closed_on == date.fromisoformat(sample["dateDebut"])
    linked = Establishment.objects.filter(legal_unit__isnull=False).count()
    assert LegalUnit.objects.count() > 0
    assert (
        linked == Establishment.objects.filter(siren__in=LegalUnit.objects.values("siren")).count()
    )
    assert all(
        e.legal_unit.siren == e.siren
        for e in Establishment.objects.exclude(legal_unit=None).select_related("legal_unit")
    )

    # The same files again change no row, and the command says so.
    out, _ = run_command("import_sirene", str(ETAB), str(UNITS), "--territory", "80,62")
    assert "rien n'a changé" in out
    assert f"établissements créés: 0, mis à jour: 0, inchangés: {len(wanted)}" in out
    assert "unités légales créées ou mises à jour: 0" in out
    assert Establishment.objects.count() == len(wanted)
    second = {e.siret: e for e in Establishment.objects.all()}
    for siret, before in first.items():
        after = second[siret]
        assert (after.status, after.closed_on, after.naf, after.updated_at) == (
            before.status,
            before.closed_on,
            before.naf,
            before.updated_at,
        )
    assert RegisterImport.objects.count() == 1


def test_a_newer_stock_closes_and_moves(run_command, tmp_path):
    run_command("import_sirene", str(ETAB), "--territory", "dep:80")
    rows = rows_of(ETAB)
    active = next(
        r
        for r in rows
        if r["codeCommuneEtablissement"][:2] == "80" and r["etatAdministratifEtablissement"] == "A"
    )
    moving = next(
        r
        for r in rows
        if r["codeCommuneEtablissement"][:2] == "80" and r["siret"] != active["siret"]
    )
    active["etatAdministratifEtablissement"] = "F"
    active["dateDebut"] = "2025-06-30"
    moving["codeCommuneEtablissement"] = "44109"  # moved to Nantes, outside the territory
    newer = write(tmp_path / "StockEtablissement_utf8.csv", rows)

    out, _ = run_command("import_sirene", str(newer), "--territory", "dep:80")
    assert "fermés depuis le dernier import: 1" in out
    closed = Establishment.objects.get(siret=active["siret"])
    assert (closed.status, closed.closed_on) == ("F", date(2025, 6, 30))
    moved = Establishment.objects.get(siret=moving["siret"])
    assert (moved.commune_code, moved.departement_code) == ("44109", "44")


def test_sector_filter_keeps_only_its_codes(run_command):
    run_command("import_sirene", str(ETAB), "--territory", "80,62,44", "--sector", "numerique")
    from filiere.territory.sectors import DIGITAL_SECTOR

    codes = {code for code, _ in DIGITAL_SECTOR["codes"]}
    expected = [
        r for r in expected_in({"80", "62", "44"}) if r["activitePrincipaleEtablissement"] in codes
    ]
    assert Establishment.objects.count() == len(expected)


def corrupted(tmp_path) -> Path:
    lines = ETAB.read_text(encoding="utf-8").splitlines()
    in_80 = [i for i, line in enumerate(lines) if line.split(",")[22][:2] == "80"]
    bad_date = lines[in_80[2]].split(",")
    bad_date[4] = "2019-02-31"
    lines[in_80[2]] = ",".join(bad_date)
    lines.append(lines[in_80[3]][:40])  # a truncated last line
    path = tmp_path / "StockEtablissement_utf8.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, in_80[2] + 1, len(lines)


def test_a_corrupted_copy_is_located_and_writes_nothing(run_command, tmp_path):
    path, _bad, _last = corrupted(tmp_path)
    with pytest.raises(CommandError, match="rien n'a été écrit") as excinfo:
        run_command("import_sirene", str(path), "--territory", "dep:80")
    assert "2 lignes rejetées" in str(excinfo.value)
    assert "114 lignes valides" in str(excinfo.value)
    assert Establishment.objects.count() == 0
    assert RegisterImport.objects.count() == 0


def test_problems_name_file_line_column_and_value(tmp_path):
    from engine.register.reader import establishments

    path, bad_line, last_line = corrupted(tmp_path)
    stock, batches = establishments(path, departements=["80"])
    kept = sum(len(b) for b in batches)
    assert kept == 114
    messages = [str(p) for p in stock.report.problems]
    assert any(
        f"ligne {bad_line}, colonne « dateCreationEtablissement »" in m and "'2019-02-31'" in m
        for m in messages
    ), messages
    assert any(f"ligne {last_line}" in m and "colonnes manquantes" in m for m in messages), messages


def test_accepting_rejected_rows_writes_the_good_ones_but_still_fails(run_command, tmp_path):
    path, _bad, _last = corrupted(tmp_path)
    with pytest.raises(CommandError, match="les lignes valides sont écrites"):
        run_command("import_sirene", str(path), "--territory", "dep:80", "--accept-rejected-rows")
    assert Establishment.objects.count() == 114


def test_a_wrong_header_stops_everything(run_command, tmp_path):
    rows = rows_of(ETAB)
    header = list(rows[0])
    header[4] = "dateCreation"
    for row in rows:
        row["dateCreation"] = row.pop("dateCreationEtablissement")
    path = write(tmp_path / "StockEtablissement_utf8.csv", rows, header=header)
    with pytest.raises(CommandError, match="illisible"):
        run_command("import_sirene", str(path), "--territory", "dep:80")
    assert Establishment.objects.count() == 0


def test_zipped_and_parquet_files(run_command, tmp_path):
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.write(ETAB, "StockEtablissement_utf8.csv")
    run_command("import_sirene", str(archive), "--territory", "dep:80")
    assert Establishment.objects.count() == 115

    parquet = tmp_path / "StockEtablissement_utf8.parquet"
    source = f"read_csv('{ETAB}', all_varchar = true)"
    duckdb.sql(f"COPY (SELECT * FROM {source}) TO '{parquet}' (FORMAT parquet)")
    Establishment.objects.all().delete()
    run_command("import_sirene", str(parquet), "--territory", "dep:80")
    assert Establishment.objects.count() == 115

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[:2000])
    Establishment.objects.all().delete()
    with pytest.raises(CommandError, match="illisible"):
        run_command("import_sirene", str(truncated), "--territory", "dep:80")
    assert Establishment.objects.count() == 0


def test_unknown_territory_or_sector_is_refused(run_command):
    with pytest.raises(CommandError, match="inconnu"):
        run_command("import_sirene", str(ETAB), "--territory", "dep:99")
    with pytest.raises(CommandError, match="inconnue"):
        run_command("import_sirene", str(ETAB), "--territory", "dep:80", "--sector", "chimie")


def test_a_missing_file_is_reported(run_command, tmp_path):
    with pytest.raises(CommandError, match="illisible"):
        run_command("import_sirene", str(tmp_path / "absent.csv"), "--territory", "dep:80")


def test_fixtures_have_the_real_layouts():
    assert len(rows_of(ETAB)[0]) == 53
    assert len(rows_of(UNITS)[0]) == 33


def test_a_new_stock_keeps_what_members_wrote(run_command):
    run_command("import_sirene", str(ETAB), str(UNITS), "--territory", "dep:80")
    unit = LegalUnit.objects.first()
    LegalUnit.objects.filter(pk=unit.pk).update(
        description="Notre métier", website="https://x.fr", contact_email="contact@x.fr"
    )
    run_command("import_sirene", str(ETAB), str(UNITS), "--territory", "dep:80")
    unit.refresh_from_db()
    assert (unit.description, unit.website, unit.contact_email) == (
        "Notre métier",
        "https://x.fr",
        "contact@x.fr",
    )


def test_file_names_with_quotes(run_command, tmp_path):
    path = tmp_path / "stock de l'INSEE.csv"
    path.write_bytes(ETAB.read_bytes())
    run_command("import_sirene", str(path), "--territory", "dep:80")
    assert Establishment.objects.count() == 115


def test_an_organisation_with_the_siren_owns_the_entry(run_command):
    from tests.factories import OrganisationFactory

    siren = expected_in({"80"})[0]["siren"]
    organisation = OrganisationFactory(siren=siren)
    run_command("import_sirene", str(ETAB), str(UNITS), "--territory", "dep:80")
    assert LegalUnit.objects.get(siren=siren).organisation == organisation


def test_former_commune_codes_take_their_2026_code(run_command):
    from filiere.territory.models import CommuneCodeChange

    rows = expected_in({"80"})
    merged, split = rows[0]["codeCommuneEtablissement"], rows[1]["codeCommuneEtablissement"]
    assert merged != split
    CommuneCodeChange.objects.create(old_code=merged, current_code="80999", name="Fusion")
    for new in ("80997", "80998"):
        CommuneCodeChange.objects.create(old_code=split, current_code=new, name="Partage")
    run_command("import_sirene", str(ETAB), "--territory", "dep:80")
    assert Establishment.objects.get(siret=rows[0]["siret"]).commune_code == "80999"
    assert Establishment.objects.get(siret=rows[1]["siret"]).commune_code == split


def somme_rows() -> list[dict]:
    return [r for r in rows_of(ETAB) if r["codeCommuneEtablissement"].startswith("80")]


def failure(*args) -> tuple[str, str]:
    """The import refused: its final message and what it printed of each problem."""
    from io import StringIO

    from django.core.management import call_command

    said = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_sirene", *args, "--territory", "dep:80", stderr=said, stdout=StringIO()
        )
    return str(refused.value), said.getvalue()


def test_a_file_not_in_utf8_is_located_not_a_traceback(tmp_path):
    rows = somme_rows()[:4]
    rows[2]["libelleVoieEtablissement"] = "DE L'ÉGLISE"
    path = tmp_path / "etablissements.csv"  # a name that does not say which layout it is
    with path.open("w", encoding="latin-1", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    final, said = failure(str(path))
    assert "rien n'a été écrit" in final
    assert "etablissements.csv, ligne 4 : caractères qui ne sont pas de l'UTF-8" in said
    assert "Traceback" not in said
    assert not Establishment.objects.exists()


def test_a_quote_left_open_is_located(tmp_path):
    rows = somme_rows()[:6]
    path = write(tmp_path / "StockEtablissement.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(rows[3]["siret"], f'"{rows[3]["siret"]}', 1)
    path.write_text("".join(lines), encoding="utf-8")
    final, said = failure(str(path))
    assert "rien n'a été écrit" in final
    assert "StockEtablissement.csv, ligne 5 : guillemet ouvert et jamais fermé" in said
    assert "Possible fixes" not in said
    assert not Establishment.objects.exists()


def test_a_siret_twice_in_a_file_is_rejected_on_its_second_line(run_command, tmp_path):
    rows = somme_rows()[:5]
    twice = dict(rows[1], libelleVoieEtablissement="AUTRE RUE")
    path = write(tmp_path / "StockEtablissement.csv", [*rows, twice])
    final, said = failure(str(path))
    assert "1 ligne rejetée" in final
    assert "ligne 7, colonne « siret » : siret en double : déjà à la ligne 3" in said
    assert not Establishment.objects.exists()
    # Accepted, the first line of the SIRET is the one written.
    with pytest.raises(CommandError):
        run_command("import_sirene", str(path), "--territory", "dep:80", "--accept-rejected-rows")
    kept = Establishment.objects.get(siret=rows[1]["siret"])
    assert "AUTRE RUE" not in kept.street
    assert Establishment.objects.count() == 5
