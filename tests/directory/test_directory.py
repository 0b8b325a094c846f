from datetime import date

import pytest
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.directory.models import Contact, LegalUnit
from filiere.directory.search import directory_changed
from filiere.directory.selectors import main_establishment, main_establishments_prefetch
from tests.factories import (
    DepartementFactory,
    EstablishmentFactory,
    LegalUnitFactory,
    OrganisationFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(db):
    for code in ("14", "27", "76"):
        DepartementFactory(code=code)
    software = LegalUnitFactory(name="Logiciels du Bocage", description="Développement d'ERP")
    EstablishmentFactory(
        legal_unit=software,
        name="Logiciels du Bocage — Caen",
        city="CAEN",
        departement_code="14",
        naf="62.01Z",
        headcount_band="11",
        latitude=49.18,
        longitude=-0.37,
    )
    bakery = LegalUnitFactory(name="Boulangerie Saint-Jean")
    EstablishmentFactory(
        legal_unit=bakery,
        name="Boulangerie Saint-Jean",
        city="ROUEN",
        departement_code="76",
        naf="10.71C",
        latitude=49.44,
        longitude=1.1,
    )
    closed = LegalUnitFactory(name="Réseaux fermés")
    EstablishmentFactory(
        legal_unit=closed,
        name="Réseaux fermés",
        status="F",
        closed_on=date(2020, 1, 1),
        naf="61.10Z",
    )
    for n in range(30):
        EstablishmentFactory(name=f"Cabinet {n}", naf="69.20Z", departement_code="27")
    directory_changed()
    return software, bakery


def test_search_is_accent_insensitive_and_stemmed(client, firms):
    page = client.get(reverse("directory:list"), {"q": "developpeur erp"}).content.decode()
    assert "Logiciels du Bocage" in page
    assert "Boulangerie" not in page
    assert "par pertinence" in page


def test_a_search_counts_only_what_it_shows(client, firms):
    page = client.get(reverse("directory:list"), {"q": "reseaux"}).content.decode()
    assert "Aucun établissement" in page  # the only match is closed
    page = client.get(reverse("directory:list"), {"q": "reseaux", "include_closed": "on"})
    assert "1 établissement trouvé" in page.content.decode()


def test_filters_combine_with_the_search(client, firms):
    url = reverse("directory:list")
    page = client.get(url, {"departement": "76"}).content.decode()
    assert "Boulangerie Saint-Jean" in page
    assert "Logiciels du Bocage" not in page
    page = client.get(url, {"sector": "numerique"}).content.decode()
    assert "Logiciels du Bocage" in page
    assert "Boulangerie" not in page
    assert "Réseaux fermés" not in page  # closed ones are hidden by default
    page = client.get(url, {"sector": "numerique", "include_closed": "on"}).content.decode()
    assert "Réseaux fermés" in page
    page = client.get(url, {"q": "logiciels", "departement": "76"}).content.decode()
    assert "Aucun établissement" in page
    page = client.get(url, {"size": "small"}).content.decode()
    assert "Logiciels du Bocage" in page
    assert "Boulangerie" not in page


def test_list_paginates_in_a_bounded_number_of_queries(
    client, firms, django_assert_max_num_queries
):
    url = reverse("directory:list")
    every_activity = {"sector": ""}
    with django_assert_max_num_queries(12):
        first = client.get(url, every_activity).content.decode()
    assert "Page 1 sur 2" in first
    for n in range(30, 60):
        EstablishmentFactory(name=f"Cabinet {n}", naf="69.20Z", departement_code="27")
    with django_assert_max_num_queries(12):
        client.get(url, {**every_activity, "page": 2})


def test_htmx_returns_the_results_fragment(client, firms):
    response = client.get(reverse("directory:list"), {"q": "boulangerie"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert "Boulangerie Saint-Jean" in page


def test_map_points(client, firms):
    data = client.get(reverse("directory:map"), {"sector": "numerique"}).json()
    names = [f["properties"]["name"] for f in data["features"]]
    assert names == ["Logiciels du Bocage — Caen"]
    assert data["features"][0]["geometry"]["coordinates"] == [-0.37, 49.18]


def test_organisation_page_and_contacts_privacy(client, firms):
    software, _bakery = firms
    Contact.objects.create(
        legal_unit=software,
        full_name="Marie Curie",
        role="Gérante",
        email="marie@example.fr",
        consent_on=date(2025, 1, 1),
    )
    url = reverse("directory:detail", kwargs={"siren": software.siren})
    page = client.get(url).content.decode()
    assert "Logiciels du Bocage" in page
    assert "CAEN" in page
    assert "marie@example.fr" not in page  # the public does not see contacts
    adviser = member(OrganisationFactory(kind="chamber_of_commerce"), Role.ADVISER)
    client.force_login(adviser)
    assert "marie@example.fr" in client.get(url).content.decode()


def test_only_the_firms_members_edit_its_profile(client, firms):
    software, bakery = firms
    organisation = OrganisationFactory(siren=software.siren)
    LegalUnit.objects.filter(pk=software.pk).update(organisation=organisation)
    url = reverse("directory:edit", kwargs={"siren": software.siren})

    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    assert client.get(url).status_code == 403
    assert client.get(reverse("directory:edit", kwargs={"siren": bakery.siren})).status_code == 403

    client.force_login(member(organisation, Role.COMPANY_MEMBER))
    response = client.post(
        url,
        {
            "description": "ERP et cybersécurité pour les PME",
            "website": "bocage.example",
            "contact_email": "contact@bocage.example",
            "tags_text": "cybersécurité, ERP",
        },
    )
    assert response.status_code == 302
    software.refresh_from_db()
    assert software.website == "https://bocage.example"
    # The firm's contact address is public, on its page.
    assert software.contact_email == "contact@bocage.example"
    client.logout()
    page = client.get(reverse("directory:detail", kwargs={"siren": software.siren}))
    assert 'href="mailto:contact@bocage.example"' in page.content.decode()
    client.force_login(member(organisation, Role.COMPANY_MEMBER))
    assert sorted(t.label for t in software.tags.all()) == ["ERP", "cybersécurité"]
    # The profile's words are searchable at once.
    page = client.get(reverse("directory:list"), {"q": "cybersecurite"}).content.decode()
    assert "Logiciels du Bocage" in page
    response = client.post(url, {"description": "x", "website": "pas une adresse"})
    assert response.status_code == 422
    response = client.post(url, {"description": "x", "contact_email": "pas une adresse"})
    assert response.status_code == 422


def test_contacts_are_in_the_personal_data_export_and_go_with_the_account(client, firms):
    software, _ = firms
    user = member(OrganisationFactory(), Role.COMPANY_MEMBER)
    Contact.objects.create(
        legal_unit=software, full_name="Jean Dupont", user=user, consent_on=date(2025, 1, 1)
    )
    client.force_login(user)
    data = client.get(reverse("accounts:export")).json()
    assert data["contacts_annuaire"][0]["nom"] == "Jean Dupont"
    client.post(reverse("accounts:erase"), {"password": "motdepasse-test"})
    assert not Contact.objects.filter(full_name="Jean Dupont").exists()


def test_a_firm_is_where_its_head_office_is_else_where_an_active_establishment_is(
    django_assert_num_queries,
):
    seated = LegalUnitFactory(siren="100000001")
    EstablishmentFactory(legal_unit=seated, departement_code="76")
    EstablishmentFactory(legal_unit=seated, departement_code="14", is_head_office=True)
    # Seated outside the region: the register holds a closed and an active establishment.
    elsewhere = LegalUnitFactory(siren="100000002")
    EstablishmentFactory(legal_unit=elsewhere, departement_code="27", status="F")
    EstablishmentFactory(legal_unit=elsewhere, departement_code="50")
    gone = LegalUnitFactory(siren="100000003")
    EstablishmentFactory(legal_unit=gone, departement_code="61", status="F")

    expected = {seated.pk: "14", elsewhere.pk: "50", gone.pk: None}
    for unit in (seated, elsewhere, gone):
        found = main_establishment(unit)
        assert (found.departement_code if found else None) == expected[unit.pk]
    with django_assert_num_queries(2):
        units = list(LegalUnit.objects.prefetch_related(main_establishments_prefetch()))
        found = {u.pk: main_establishment(u) for u in units}
    assert {pk: e.departement_code if e else None for pk, e in found.items()} == expected


def test_a_firms_page_says_its_headcount_in_words(client, firms):
    software, _bakery = firms
    page = client.get(f"/annuaire/{software.siren}/").content.decode()
    assert "<td>10 à 19 salariés</td>" in page
    assert "<td>11</td>" not in page
