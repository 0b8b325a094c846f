"""The directory searches what firms offer (their offers, references and skills, which the
needs app registers), says why a result matched, opens on the contract's sector and filters on
the skills firms have."""

import re

import pytest
from django.urls import reverse

from filiere.directory.models import Establishment
from filiere.directory.search import directory_changed
from filiere.directory.services.profiles import profile_update
from filiere.needs.services import offer_save
from filiere.territory.sectors import DEFAULT_SECTOR
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(db):
    caen = CommuneFactory()
    secure = provider(
        "Atelier Nord",
        "Audit de cybersécurité, tests d'intrusion et sensibilisation des salariés.",
        ["cybersecurity"],
        commune=caen,
        references=["Plan de reprise d'activité pour une cidrerie du Cotentin"],
    )
    web = provider(
        "Studio Caennais",
        "Développement web et applications sur mesure.",
        ["web"],
        commune=caen,
    )
    # A hairdresser and a doctor whose names say « Web », in Caen, with no offer.
    hairdresser = LegalUnitFactory(name="Web Coiffure", naf="96.02A")
    EstablishmentFactory(
        legal_unit=hairdresser,
        name="Web Coiffure",
        naf="96.02A",
        city="CAEN",
        latitude=49.18,
        longitude=-0.36,
    )
    doctor = LegalUnitFactory(name="Docteur Web", naf="86.21Z")
    EstablishmentFactory(legal_unit=doctor, name="Docteur Web Caen", naf="86.21Z", city="CAEN")
    for unit in (secure, web):
        Establishment.objects.filter(legal_unit=unit).update(name=unit.name, city="CAEN")
    directory_changed()
    return secure, web


def names(page: str) -> list[str]:
    return re.findall(r'<a href="/annuaire/\d+/">([^<]+)</a>', page)


def search(client, **params) -> str:
    return client.get(reverse("directory:list"), params).content.decode()


def test_a_word_of_a_firms_offer_finds_it_and_says_where_it_matched(client, firms):
    page = search(client, q="cybersécurité", sector="")
    assert names(page) == ["Atelier Nord"]
    assert re.search(r"Offre :</strong>\s*Audit de <mark>cybersécurité</mark>", page)


def test_a_reference_and_a_domain_are_searched_too(client, firms):
    page = search(client, q="cidrerie", sector="")
    assert names(page) == ["Atelier Nord"]
    assert "Référence :</strong>" in page
    assert "<mark>cidrerie</mark>" in page
    # « Site web, e-commerce », the domain of the studio's offer, is not in its summary.
    assert "Studio Caennais" in names(search(client, q="e-commerce", sector=""))


def test_an_unpublished_offer_is_not_searched(client, firms):
    secure, _web = firms
    offer = secure.offer
    offer_save(
        unit=secure,
        summary=offer.summary,
        domains=offer.domains,
        departements_served=[],
        is_published=False,
        references=[],
    )
    assert names(search(client, q="cybersécurité", sector="")) == []


def test_an_offer_changed_is_searched_as_it_now_reads(client, firms):
    secure, _web = firms
    assert names(search(client, q="cybersécurité", sector="")) == ["Atelier Nord"]
    offer_save(
        unit=secure,
        summary="Infogérance et téléphonie sur IP.",
        domains=["cloud"],
        departements_served=[],
        is_published=True,
        references=[],
        removed=list(secure.offer.references.values_list("pk", flat=True)),
    )
    assert names(search(client, q="cybersécurité", sector="")) == []
    assert names(search(client, q="téléphonie", sector="")) == ["Atelier Nord"]


def test_the_search_opens_on_the_contracts_sector(client, firms):
    page = search(client)
    assert re.search(rf'<option value="{DEFAULT_SECTOR}" selected>', page)
    assert "Web Coiffure" not in page
    assert "Atelier Nord" in page
    # « Toutes activités » is a choice, and page 2 of the opening list is of the same sector.
    assert "Web Coiffure" in search(client, sector="")
    assert "Web Coiffure" not in search(client, page=1)


def test_web_development_in_caen_lists_digital_firms_first(client, firms):
    page = search(client, q="développement web Caen", sector=DEFAULT_SECTOR)
    assert names(page)[0] == "Studio Caennais"
    assert "Web Coiffure" not in names(page)
    everything = names(search(client, q="développement web Caen", sector=""))
    assert everything[0] == "Studio Caennais"


def test_the_map_opens_on_the_same_sector_as_the_list(client, firms):
    opened = client.get(reverse("directory:map")).json()["features"]
    assert {f["properties"]["name"] for f in opened} == {"Atelier Nord", "Studio Caennais"}


def test_the_skill_filter_lists_the_skills_firms_have_and_filters_on_them(client, firms):
    secure, web = firms
    profile_update(unit=web, description="", website="", contact_email="", tags=["WordPress"])
    page = search(client)
    choices = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page)
    skills = dict(choices[choices.index(("", "Tous"), choices.index(("", "Tous")) + 1) :])
    assert skills["wordpress"] == "WordPress"
    assert skills["domaine:cybersecurity"] == "Cybersécurité"
    assert "domaine:data" not in skills  # no firm offers it
    assert names(search(client, tag="domaine:cybersecurity", sector="")) == ["Atelier Nord"]
    assert names(search(client, tag="wordpress", sector="")) == ["Studio Caennais"]
    # A skill searched by its name, from the profile.
    assert names(search(client, q="wordpress", sector="")) == ["Studio Caennais"]
