import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.accounts.enums import Role
from filiere.common.command import InputErrors
from filiere.registers.imports import read_training_paths
from filiere.registers.models import TrainingPath
from tests.factories import (
    ContractFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
    TrainingPathFactory,
    member,
)

HEADER = "intitule;organisme;siren;modalite;heures;cree_le;lien\n"


def test_the_command_adds_paths_links_providers_and_skips_those_already_there(
    db, tmp_path, run_command
):
    RegionFactory()
    unit = LegalUnitFactory(name="Simplon")
    TrainingPathFactory(title="Data analyste", provider_name="AFPA", created_on="2019-03-01")
    file = tmp_path / "parcours.csv"
    file.write_text(
        "\ufeff"
        + HEADER
        + f"Développeur web;Simplon;{unit.siren};Multimodal (présentiel et distance);400;2019-01-07;https://simplon.co\n"
        + "Data analyste;AFPA;;blended;210;2019-03-01;\n"
        + "Cybersécurité;Université de Caen;;À distance;120;2019-09-02;\n",
        encoding="utf-8",
    )
    printed, _ = run_command("import_training_paths", str(file))
    # The path already there takes the file's values; the two others are added.
    assert "parcours ajoutés: 2, parcours mis à jour: 1" in printed
    web = TrainingPath.objects.get(title="Développeur web")
    assert (web.provider, web.format, web.hours) == (unit, "blended", 400)
    assert TrainingPath.objects.get(title="Cybersécurité").format == "distance"
    assert TrainingPath.objects.get(title="Data analyste").hours == 210
    printed, _ = run_command("import_training_paths", str(file))
    assert "parcours déjà présents: 3, parcours ajoutés: 0" in printed
    assert TrainingPath.objects.count() == 3


def test_the_modalities_the_message_suggests_are_accepted(db, tmp_path, run_command):
    RegionFactory()
    file = tmp_path / "parcours.csv"
    file.write_text(
        HEADER
        + "A;AFPA;;multimodal;10;2019-01-07;\n"
        + "B;AFPA;;Présentiel;10;2019-01-07;\n"
        + "C;AFPA;;à distance;10;2019-01-07;\n",
        encoding="utf-8",
    )
    run_command("import_training_paths", str(file))
    assert dict(TrainingPath.objects.values_list("title", "format")) == {
        "A": "blended",
        "B": "on_site",
        "C": "distance",
    }
    with pytest.raises(InputErrors) as caught:
        read_training_paths(HEADER + "D;AFPA;;hybride;10;2019-01-07;\n", "p.csv")
    (error,) = caught.value.errors
    assert "présentiel (on_site), à distance (distance), multimodal (blended)" in str(error)


def test_a_path_given_twice_with_other_values_is_refused(db, tmp_path, run_command):
    RegionFactory()
    text = (
        HEADER
        + "A;AFPA;;on_site;10;2019-01-07;\n"
        + "A;AFPA;;on_site;10;2019-01-07;\n"  # the same again: read once
        + "A;AFPA;;on_site;12;2019-01-07;\n"
    )
    with pytest.raises(InputErrors) as caught:
        read_training_paths(text, "p.csv")
    (error,) = caught.value.errors
    assert error.line == 4
    assert "que la ligne 2, avec d'autres valeurs" in str(error)
    same_twice = "".join(text.splitlines(keepends=True)[:3])
    assert len(read_training_paths(same_twice, "p.csv")) == 1


def test_a_nul_byte_is_located_not_a_database_error(db, tmp_path, run_command):
    RegionFactory()
    file = tmp_path / "parcours.csv"
    file.write_text(HEADER + "A\x00;AFPA;;on_site;10;2019-01-07;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run_command("import_training_paths", str(file))
    with pytest.raises(InputErrors) as caught:
        read_training_paths(file.read_text(encoding="utf-8"), "parcours.csv")
    assert (caught.value.errors[0].line, caught.value.errors[0].field) == (2, "intitule")
    assert not TrainingPath.objects.exists()


@override_settings(FILIERE_REGION="53")
def test_the_command_fills_the_platforms_region_unless_told_another(db, tmp_path, run_command):
    brittany, normandy = RegionFactory(code="53", name="Bretagne"), RegionFactory()
    file = tmp_path / "parcours.csv"
    file.write_text(HEADER + "Data analyste;AFPA;;blended;210;2019-03-01;\n", encoding="utf-8")
    run_command("import_training_paths", str(file))
    assert TrainingPath.objects.get().region == brittany
    run_command("import_training_paths", str(file), "--region", normandy.code)
    assert set(TrainingPath.objects.values_list("region", flat=True)) == {brittany.pk, normandy.pk}


def test_every_bad_line_is_located_and_nothing_is_written(db, tmp_path, run_command):
    RegionFactory()
    file = tmp_path / "parcours.csv"
    file.write_text(
        HEADER
        + "Bon parcours;AFPA;;on_site;35;2019-01-07;\n"
        + ";AFPA;123456789;en ligne;0;07/01/2019;pas une adresse\n"
        + "Trop;de;;on_site;35;2019-01-07;;valeur en plus\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run_command("import_training_paths", str(file))
    assert not TrainingPath.objects.exists()
    with pytest.raises(InputErrors) as caught:
        read_training_paths(file.read_text(encoding="utf-8"), "parcours.csv")
    located = {(e.line, e.field) for e in caught.value.errors}
    assert located == {
        (3, "intitule"),
        (3, "siren"),
        (3, "modalite"),
        (3, "heures"),
        (3, "cree_le"),
        (3, "lien"),
        (4, None),
    }
    assert "parcours.csv, ligne 3, champ « modalite »" in str(caught.value)


def test_a_file_without_a_required_column_is_refused_on_its_header():
    with pytest.raises(InputErrors) as caught:
        read_training_paths("intitule,organisme,heures\nA,B,3\n", "f.csv")
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (1, "colonne obligatoire absente : modalite"),
        (1, "colonne obligatoire absente : cree_le"),
    ]


def outcome(text: str):
    """The rows read from a text, or the problems it was refused with."""
    try:
        return read_training_paths(text, "f.csv"), []
    except InputErrors as exc:
        return [], exc.errors


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=10))
def test_any_cell_is_either_read_or_reported_never_lost(title, hours):
    text = (
        HEADER + f"{title.replace(';', ',')};AFPA;;on_site;{hours.replace(';', ',')};2019-01-07;\n"
    )
    rows, errors = outcome(text)
    assert all(e.line is not None for e in errors)
    assert bool(rows) != bool(errors)
    for row in rows:
        assert row["hours"] >= 1
        assert row["title"]


def test_officers_import_from_the_page_and_see_located_errors(client, db):
    region = RegionFactory()
    ContractFactory(region=region)
    officer = member(OrganisationFactory(), Role.PROGRAMME_OFFICER)
    url = reverse("registers:training_paths_import")

    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    assert (
        "Importer des parcours"
        not in client.get(reverse("registers:training_paths")).content.decode()
    )
    upload = SimpleUploadedFile("p.csv", (HEADER + "A;B;;on_site;3;2019-01-01;\n").encode())
    assert client.post(url, {"region": region.pk, "file": upload}).status_code == 403
    # The README gives the import to the Region's officers: a cluster's coordinator reads the
    # register but does not import into it (the page used to let them).
    client.force_login(member(OrganisationFactory(), Role.COORDINATOR))
    page = client.get(reverse("registers:training_paths")).content.decode()
    assert "Importer des parcours" not in page
    upload.seek(0)
    assert client.post(url, {"region": region.pk, "file": upload}).status_code == 403

    client.force_login(officer)
    bad = SimpleUploadedFile("p.csv", (HEADER + "A;B;;en ligne;3;2019-01-01;\n").encode())
    response = client.post(url, {"region": region.pk, "file": bad})
    assert response.status_code == 422
    assert "p.csv, ligne 2, champ « modalite »" in html.unescape(response.content.decode())
    latin = SimpleUploadedFile(
        "p.csv", (HEADER + "Électricité;B;;on_site;3;2019-01-01;\n").encode("latin-1")
    )
    response = client.post(url, {"region": region.pk, "file": latin})
    assert "UTF-8" in response.content.decode()
    assert not TrainingPath.objects.exists()

    good = SimpleUploadedFile("p.csv", (HEADER + "A;B;;on_site;3;2019-01-01;\n").encode())
    page = client.post(url, {"region": region.pk, "file": good}, follow=True).content.decode()
    assert "parcours ajoutés: 1" in page
    assert TrainingPath.objects.get().region == region
