import csv
import html
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import Role
from filiere.common.exports import LISTED
from filiere.common.refusals import Refused
from filiere.registers import services
from filiere.registers.models import (
    DatalabProject,
    Dataset,
    Hosting,
    ThirdPlace,
    TrainingPath,
)
from tests.factories import (
    CohortFactory,
    CommuneFactory,
    DatalabProjectFactory,
    DepartementFactory,
    HostingFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    TrainingPathFactory,
    UserFactory,
    member,
)


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def officer(db):
    return member(OrganisationFactory(), Role.COORDINATOR)


def test_hostings_filter_by_residence_outcome_and_presence(client, db):
    agri = ResidenceFactory(name="Agri up")
    port = ResidenceFactory(name="Smart port", city="Le Havre", departement_code="76")
    unit = LegalUnitFactory(name="Ferme connectée")
    HostingFactory(cohort__residence=agri, firm_name="Ferme connectée", legal_unit=unit)
    HostingFactory(
        cohort__residence=agri,
        firm_name="Drone des champs",
        left_on=date(2019, 6, 30),
        outcome="own_premises",
        outcome_note="Locaux à Caen",
    )
    HostingFactory(cohort__residence=port, firm_name="Conteneur malin")
    HostingFactory(
        cohort__residence=agri,
        firm_name="Arrive demain",
        entered_on=timezone.localdate() + timedelta(days=1),
    )
    url = reverse("registers:hostings")

    page = client.get(url, {"residence": agri.pk}).content.decode()
    assert "Ferme connectée" in page
    assert "Drone des champs" in page
    assert "Conteneur malin" not in page
    page = client.get(url, {"residence": agri.pk, "present": "on"}).content.decode()
    assert "Ferme connectée" in page
    assert "Drone des champs" not in page
    assert "Arrive demain" not in page

    rows = read_csv(client.get(url, {"outcome": "own_premises", "format": "csv"}))
    assert rows == [
        {
            "residence": "Agri up",
            "promotion": rows[0]["promotion"],
            "entreprise": "Drone des champs",
            "siren": "",
            "entree": "15/01/2018",
            "sortie": "30/06/2019",
            "devenir": "Installée dans ses propres locaux",
            "devenir_code": "own_premises",
            "precisions": "Locaux à Caen",
            "demonstration": "non",
        }
    ]
    rows = read_csv(client.get(url, {"residence": agri.pk, "format": "csv"}))
    assert {r["siren"] for r in rows} == {unit.siren, ""}


def test_a_bad_filter_is_reported_and_the_list_left_whole(client, db):
    HostingFactory(firm_name="Ferme connectée")
    response = client.get(reverse("registers:hostings"), {"residence": "9999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ferme connectée" in page
    assert "Sélectionnez un choix valide" in page


def test_datalab_lists_partners_and_datasets_in_a_fixed_number_of_queries(client, db):
    url = reverse("registers:datalab")

    def add_project(title):
        project = DatalabProjectFactory(title=title, other_partners="Université de Rouen")
        project.partners.add(LegalUnitFactory(name=f"Partenaire de {title}"))
        Dataset.objects.create(project=project, name="Base SIRENE", role="uses")
        Dataset.objects.create(project=project, name=f"Jeu publié de {title}", role="publishes")
        return project

    add_project("Mobilités")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for title in ("Énergie", "Tourisme", "Santé"):
        add_project(title)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert len(four) == len(one)
    assert "Jeu publié de Santé" in page

    DatalabProjectFactory(title="Port intelligent", status="planned")
    rows = read_csv(client.get(url, {"status": "planned", "format": "csv"}))
    assert [r["titre"] for r in rows] == ["Port intelligent"]
    (row,) = read_csv(client.get(url, {"q": "mobilit", "format": "csv"}))
    assert row["partenaires"] == "Partenaire de Mobilités; Université de Rouen"
    assert row["jeux_utilises"] == "Base SIRENE"
    assert row["jeux_publies"] == "Jeu publié de Mobilités"


def test_third_places_filter_list_map_and_export_alike(client, db):
    DepartementFactory(code="14")
    DepartementFactory(code="76")
    ThirdPlaceFactory(name="Le Dôme", city="Caen", source="ANCT", source_id="a1")
    ThirdPlaceFactory(
        name="Fablab du port", city="Le Havre", postcode="76600", departement_code="76"
    )
    ThirdPlaceFactory(name="Sans adresse", city="Évreux", latitude=None, longitude=None)
    url = reverse("registers:third_places")

    page = client.get(url, {"departement": "76"}).content.decode()
    assert "Fablab du port" in page
    assert "Le Dôme" not in page
    features = client.get(reverse("registers:third_places_map"), {"q": "caen"}).json()["features"]
    assert [f["properties"]["name"] for f in features] == ["Le Dôme (Caen)"]
    # A place without coordinates is listed but not on the map.
    assert len(client.get(reverse("registers:third_places_map")).json()["features"]) == 2
    rows = read_csv(client.get(url, {"q": "adresse", "format": "csv"}))
    assert [r["nom"] for r in rows] == ["Sans adresse"]


def test_a_new_place_applies_and_an_officer_labels_it(client, officer):
    CommuneFactory(code="50129", name="Cherbourg-en-Cotentin", latitude=49.63, longitude=-1.62)
    applicant = UserFactory()
    client.force_login(applicant)
    url = reverse("registers:third_place_apply")
    response = client.post(url, {"name": "La Fabrique", "city": "Cherbourg-en-Cotentin"})
    assert response.status_code == 422
    assert "Un code postal a 5 chiffres" not in response.content.decode()
    response = client.post(
        url,
        {
            "name": "La Fabrique",
            "postcode": "5010",
            "city": "Cherbourg-en-Cotentin",
            "services": "Fablab, coworking",
        },
    )
    assert "Un code postal a 5 chiffres" in response.content.decode()
    assert not ThirdPlace.objects.exists()

    client.post(
        url,
        {
            "name": "La Fabrique",
            "postcode": "50100",
            "city": "Cherbourg-en-Cotentin",
            "services": "Fablab, coworking",
            "website": "lafabrique.example.fr",
        },
    )
    place = ThirdPlace.objects.get()
    assert (place.status, place.departement_code, place.latitude) == ("applied", "50", 49.63)
    assert place.website == "https://lafabrique.example.fr"
    assert place.applicant == applicant

    decide = reverse("registers:third_place_decide", args=[place.pk])
    labelled = {"status": "labelled", "decided_on": timezone.localdate(), "decision_note": "OK"}
    assert client.post(decide, labelled).status_code == 403
    assert "Décision de labellisation" not in client.get(place_url(place)).content.decode()

    client.force_login(officer)
    # Sent from the place's page, as the browser does: a refusal comes back to it.
    back = {"HTTP_REFERER": f"http://testserver{place_url(place)}"}
    assert "Décision de labellisation" in client.get(place_url(place)).content.decode()
    early = {**labelled, "decided_on": date(2017, 1, 1)}
    page = client.post(decide, early, follow=True, **back).content.decode()
    assert "ne peut pas précéder la candidature" in page
    assert "Décision de labellisation" in page
    page = client.post(decide, labelled, follow=True).content.decode()
    assert "Décision enregistrée" in page
    place.refresh_from_db()
    assert place.status == "labelled"
    # Once decided, the page offers no decision, and a forced one is refused.
    assert "Décision de labellisation" not in page
    response = client.post(decide, {**labelled, "status": "refused"}, **back)
    assert response.url == back["HTTP_REFERER"]
    assert "Seule une candidature déposée" in client.get(response.url).content.decode()
    place.refresh_from_db()
    assert place.status == "labelled"


def place_url(place):
    return reverse("registers:third_place", args=[place.pk])


def test_a_referenced_site_applies_for_the_label_once(client, db):
    site = ThirdPlaceFactory(
        name="Espace public numérique", source="ANCT", source_id="x9", latitude=49.2
    )
    CommuneFactory()
    client.force_login(UserFactory())
    assert "?lieu=" in client.get(place_url(site)).content.decode()
    url = f"{reverse('registers:third_place_apply')}?lieu={site.pk}"
    assert "Espace public numérique" in client.get(url).content.decode()
    form = {"name": site.name, "postcode": "14000", "city": "Caen", "services": "Ateliers"}
    client.post(url, form)
    site.refresh_from_db()
    assert (site.status, site.services, site.source_id) == ("applied", "Ateliers", "x9")
    assert site.latitude == 49.2  # the site's own point, not Caen's centre
    assert ThirdPlace.objects.count() == 1
    assert client.get(url).status_code == 404
    assert client.post(url, form).status_code == 404
    assert "?lieu=" not in client.get(place_url(site)).content.decode()


def test_a_place_applies_once_even_from_a_page_opened_before_its_application(db):
    site = ThirdPlaceFactory(source="ANCT", source_id="x9")
    opened_before = ThirdPlace.objects.get(pk=site.pk)
    form = {"name": site.name, "postcode": "14000", "city": "Caen", "services": "Ateliers"}
    services.third_place_apply(user=UserFactory(), place=site, **form)
    with pytest.raises(Refused) as refused:
        services.third_place_apply(user=UserFactory(), place=opened_before, **form)
    assert refused.value.rule == "registers.already_applied"


def test_training_paths_filter_by_format_year_and_text(client, db):
    TrainingPathFactory(title="Développeur web", created_on=date(2018, 3, 1), format="on_site")
    TrainingPathFactory(title="Data analyste", created_on=date(2019, 3, 1), provider_name="AFPA")
    url = reverse("registers:training_paths")
    page = client.get(url, {"year": "2019"}).content.decode()
    assert "Data analyste" in page
    assert "Développeur web" not in page
    rows = read_csv(client.get(url, {"modality": "on_site", "format": "csv"}))
    assert [r["intitule"] for r in rows] == ["Développeur web"]
    assert rows[0]["modalite"] == "Présentiel"
    rows = read_csv(client.get(url, {"q": "afpa", "year": "2019", "format": "csv"}))
    assert [(r["intitule"], r["organisme"]) for r in rows] == [("Data analyste", "AFPA")]


def test_each_list_shows_its_rows_page_by_page_and_exports_them_all(client, db):
    """Like the other lists: a page of rows, a caption that says which, links to the others,
    every row in the CSV."""
    region = RegionFactory()
    cohort = CohortFactory(residence=ResidenceFactory(capacity=300))
    Hosting.objects.bulk_create(
        Hosting(cohort=cohort, firm_name=f"Ligne {i}", entered_on=date(2018, 1, 15))
        for i in range(201)
    )
    DatalabProject.objects.bulk_create(
        DatalabProject(
            title=f"Ligne {i}",
            summary="Croiser des données.",
            region=region,
            status="ongoing",
            started_on=date(2018, 3, 1),
        )
        for i in range(201)
    )
    ThirdPlace.objects.bulk_create(
        ThirdPlace(name=f"Ligne {i}", city="Caen", departement_code="14") for i in range(201)
    )
    TrainingPath.objects.bulk_create(
        TrainingPath(
            title=f"Ligne {i}",
            region=region,
            provider_name="AFPA",
            format="blended",
            hours=35,
            created_on=date(2018, 9, 1),
        )
        for i in range(201)
    )
    for name, counted in (
        ("registers:hostings", "201 hébergements"),
        ("registers:datalab", "201 projets"),
        ("registers:third_places", "201 lieux"),
        ("registers:training_paths", "201 parcours"),
    ):
        url = reverse(name)
        page = " ".join(html.unescape(client.get(url).content.decode()).split())
        assert f"{counted} — page 1 sur 5, l'export les donne tous" in page
        assert page.count(">Ligne ") + page.count("> Ligne ") == LISTED, name
        last = " ".join(client.get(url, {"page": 5}).content.decode().split())
        assert last.count(">Ligne ") + last.count("> Ligne ") == 1, name
        assert len(read_csv(client.get(url, {"format": "csv", "page": 2}))) == 201, name
    few = " ".join(
        client.get(reverse("registers:third_places"), {"q": "ligne 20"}).content.decode().split()
    )
    assert "2 lieux" in few  # Ligne 20 and Ligne 200
    assert "page 1 sur" not in few
