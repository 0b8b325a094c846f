import pytest
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.territory.models import NafCode, SectorDefinition
from filiere.territory.selectors import current_sector
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def naf(db):
    for code in ("62.01Z", "62.02A", "63.11Z"):
        NafCode.objects.create(code=code, level=5, label=code)


def officer():
    return member(OrganisationFactory(kind="regional_council"), Role.PROGRAMME_OFFICER)


def test_the_shipped_definition_is_listed(client):
    page = client.get(reverse("observatory:sectors")).content.decode()
    assert "Numérique (secteur des TIC)" in page
    assert "62.01Z" in page
    assert "Définir une filière" not in page


def test_an_officer_publishes_a_new_version(client, naf):
    client.force_login(officer())
    response = client.post(
        reverse("observatory:sector_create"),
        {
            "slug": "numerique",
            "name": "Numérique (logiciel seul)",
            "codes": "62.01Z Programmation\n\n62.02a Conseil\n",
        },
    )
    assert response.status_code == 302
    current = current_sector("numerique")
    assert (current.version, current.name) == (2, "Numérique (logiciel seul)")
    assert current.naf_codes == ["62.01Z", "62.02A"]
    assert SectorDefinition.objects.filter(slug="numerique", is_current=False).count() == 1


def test_bad_codes_are_located_and_nothing_is_written(client, naf):
    client.force_login(officer())
    response = client.post(
        reverse("observatory:sector_create"),
        {
            "slug": "donnees",
            "name": "Données",
            "codes": "63.11Z\n63.11\n63.11Z",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "ligne 2 : code NAF inconnu « 63.11 »" in page
    assert "ligne 3 : « 63.11Z » est déjà listé" in page
    assert not SectorDefinition.objects.filter(slug="donnees").exists()


def test_only_officers_define_sectors(client, naf):
    client.force_login(member(OrganisationFactory(), Role.COORDINATOR))
    assert client.get(reverse("observatory:sector_create")).status_code == 403
    client.logout()
    assert client.get(reverse("observatory:sector_create")).status_code == 302
