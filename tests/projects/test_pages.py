import csv
import io
import json
from datetime import date, timedelta

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from frictionless import Resource, Schema

from filiere.projects.enums import AidForm, AidLevel, ProjectState
from filiere.projects.models import AidScheme, Document
from filiere.projects.services.catalogue import search_save
from tests.factories import DepartementFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_documents_are_checked_on_their_content_and_sent_as_attachments(client, iw, project):
    client.force_login(iw.lead_member)
    url = reverse("projects:document_add", args=[project.pk])
    client.post(url, {"file": upload("dossier.pdf", PDF)})
    for name, content, error in [
        ("page.html", b"<html><script>alert(1)</script></html>", "refusé"),
        ("faux.pdf", b"<html><script>alert(1)</script></html>", "pas celui d"),
        ("notes.txt", b"<script>alert(1)</script>", "balises"),
        ("vide.pdf", b"", "vide"),
    ]:
        response = client.post(url, {"file": upload(name, content)}, follow=True)
        assert error in response.content.decode(), name
    assert [d.name for d in Document.objects.all()] == ["dossier.pdf"]
    document = Document.objects.get()
    response = client.get(reverse("projects:document", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # Someone outside the project cannot read it.
    client.force_login(iw.reviewer)
    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 404


def test_wrong_role_is_refused_with_a_message_and_nothing_moves(client, iw, project):
    client.force_login(iw.officer)
    # Sent from no page of ours: the refusal is a page of its own.
    response = client.post(
        reverse("projects:move", args=[project.pk]),
        {"move": "submitted", "submitted-to": "submitted"},
    )
    assert response.status_code == 409
    assert "revient au porteur du projet" in response.content.decode()
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_eligible_funding_is_ordered_by_fit(client, iw, project):
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:funding", args=[project.pk])).content.decode()
    assert "Appel à projets Santé numérique" in page
    assert "Tourisme connecté" not in page
    # What the scheme targets that the project has.
    assert "la maturité du projet" in page
    assert "le marché" in page


def test_project_list_reads_in_a_fixed_number_of_queries(
    client, iw, project, django_assert_num_queries
):
    client.force_login(iw.officer)
    for _ in range(5):
        project.pk = None
        project.save()
    # The session, the user, their roles, the rows, their count, whether they may create one.
    with django_assert_num_queries(6):
        page = client.get(reverse("projects:list")).content.decode()
    assert page.count("Diagnostic par IA") == 6


def test_export_validates_against_the_official_schema(iw, run_command, tmp_path, client):
    region = iw.lead.establishments.get().commune.departement.region
    for code in ("27", "50", "61", "76"):
        DepartementFactory(code=code, region=region)
    out = tmp_path / "aides.csv"
    printed, _ = run_command("export_open_data", "--schema", "dispositif-aide", "--out", str(out))
    assert "dispositifs exportés: 2" in printed
    descriptor = settings.DATA_DIR / "schemas" / "dispositif-aide-professionnels.schema.json"
    schema = Schema.from_descriptor(json.loads(descriptor.read_text()))
    report = Resource(path=out.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    health = next(r for r in rows if r["titre"] == "Appel à projets Santé numérique")
    assert health["eligibilite_geographique"] == "REG-28"
    assert health["eligibilite_categorie_taille_entreprise"] == "MIC|PME"
    assert health["ciblage_secteur_activite"] == "Santé"
    # The catalogue page offers the same file.
    response = client.get(reverse("projects:export"))
    assert response.content.decode() == out.read_text()


def test_the_catalogue_export_writes_a_formula_as_text(iw, client):
    AidScheme.objects.filter(is_published=True).update(promise='=HYPERLINK("http://x","Aide")')
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("projects:export")).content.decode()))
    )
    assert {row["promesse"] for row in rows} == {'\'=HYPERLINK("http://x","Aide")'}


def test_saved_search_alerts_once_per_new_scheme(iw, run_command):
    search_save(
        user=iw.lead_member,
        name="Santé",
        criteria={"market": "health"},
        now=timezone.now() - timedelta(days=1),
    )
    AidScheme.objects.create(
        title="Bourse santé",
        description="d",
        eligibility="e",
        form=AidForm.GRANT,
        level=AidLevel.NATIONAL,
        funder="Bpifrance",
        themes=["health"],
    )
    mail.outbox.clear()
    printed, _ = run_command("send_aid_alerts")
    assert "alertes envoyées: 1" in printed
    (message,) = mail.outbox
    assert message.to == ["lea@medimage.test"]
    assert "Bourse santé" in message.body
    assert "Tourisme" not in message.body
    run_command("send_aid_alerts")
    assert len(mail.outbox) == 1


def test_catalogue_search_and_filters(client, iw):
    page = client.get(reverse("projects:catalogue"), {"q": "sante"}).content.decode()
    assert "Appel à projets Santé numérique" in page
    assert "Tourisme connecté" not in page
    page = client.get(reverse("projects:catalogue"), {"market": "tourism"}).content.decode()
    assert "Tourisme connecté" in page
    assert "Appel à projets Santé" not in page


def test_indicator_counts_labelled_projects_of_the_contract_clusters(normandy_contract):
    from filiere.accounts.models import Organisation
    from filiere.projects.indicator_sources import projects_labelled
    from filiere.projects.models import Project, Transition
    from tests.factories import LegalUnitFactory

    tes = Organisation.objects.get(slug="pole-tes")
    project = Project.objects.create(
        title="P", summary="s", market="health", trl=5, lead=LegalUnitFactory(), cluster=tes
    )
    day = date(2018, 6, 1)
    Transition.objects.create(
        project=project,
        to_state=ProjectState.LABELLED,
        at=timezone.make_aware(timezone.datetime(2018, 6, 1, 10)),
    )
    values = projects_labelled(normandy_contract, [day - timedelta(days=1), day])
    assert values[1] - values[0] == 1


def test_the_project_list_counts_and_exports_what_is_filtered(client, iw, project):
    client.force_login(iw.officer)
    url = reverse("projects:list")
    page = client.get(url, {"market": "health"}).content.decode()
    assert "1 projet" in page
    assert "format=csv" in page
    response = client.get(url, {"market": "health", "format": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_rows(response)
    assert list(rows[0]) == [
        "titre",
        "acronyme",
        "porteur",
        "siren",
        "pole",
        "marche",
        "marche_code",
        "trl",
        "partenaires",
        "budget_eur",
        "etat",
        "etat_code",
        "decision_le",
        "source",
        "demonstration",
    ]
    assert (rows[0]["trl"], rows[0]["partenaires"], rows[0]["demonstration"]) == ("4", "2", "non")
    assert [(r["titre"], r["porteur"], r["etat"]) for r in rows] == [
        ("Diagnostic par IA en imagerie médicale", "MedImage", "Brouillon")
    ]
    assert (rows[0]["marche"], rows[0]["marche_code"], rows[0]["etat_code"]) == (
        "Santé",
        "health",
        "draft",
    )
    assert rows[0]["siren"] == iw.lead.siren
    assert read_rows(client.get(url, {"market": "tourism", "format": "csv"})) == []


def read_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode()[1:]), delimiter=";"))


def test_a_line_break_in_a_search_name_does_not_stop_the_alerts(iw, run_command):
    """A search named over two lines raised BadHeaderError, and the daily run stopped there
    every day: no later search was ever alerted."""
    yesterday = timezone.now() - timedelta(days=1)
    search_save(user=iw.lead_member, name="Santé\r\nBcc: x@y.test", criteria={}, now=yesterday)
    search_save(user=iw.officer, name="Tout", criteria={}, now=yesterday)
    AidScheme.objects.create(
        title="Bourse santé",
        description="d",
        eligibility="e",
        form=AidForm.GRANT,
        level=AidLevel.NATIONAL,
        funder="Bpifrance",
    )
    mail.outbox.clear()
    printed, _ = run_command("send_aid_alerts")
    assert "alertes envoyées: 2" in printed
    assert sorted(m.subject for m in mail.outbox) == [
        "[Filière] Nouveaux dispositifs d'aide : Santé Bcc: x@y.test",
        "[Filière] Nouveaux dispositifs d'aide : Tout",
    ]


def test_the_catalogue_is_paged_with_its_search_kept(client, db):
    from filiere.common.exports import LISTED

    AidScheme.objects.bulk_create(
        AidScheme(
            title=f"Dispositif {i:03}",
            description="d",
            eligibility="e",
            form=AidForm.GRANT,
            level=AidLevel.NATIONAL,
            funder="Bpifrance",
        )
        for i in range(LISTED + 5)
    )
    url = reverse("projects:catalogue")
    first = client.get(url, {"q": "dispositif"}).content.decode()
    assert f"{LISTED + 5} dispositifs" in first
    assert first.count('class="card"') == LISTED
    assert 'href="?q=dispositif&amp;page=2"' in first
    second = client.get(url, {"q": "dispositif", "page": 2}).content.decode()
    assert second.count('class="card"') == 5
