"""A firm filled in by its suggestions: from the local stand-in of the API Recherche
d'entreprises, then with that API down, from the imported register."""

import re

import pytest
from playwright.sync_api import expect

from filiere.needs.models import Need
from tests.factories import EstablishmentFactory, LegalUnitFactory
from tests.processes import free_port
from tests.sirene_api import replay_server
from tests.worlds import matching_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return matching_world()


def describe_need(page):
    page.goto("/besoins/deposer/")
    page.get_by_label("Votre besoin").fill("Une boutique en ligne pour vendre nos cidres")
    page.get_by_label("Domaine").select_option(label="Site web, e-commerce")
    page.get_by_label("Nom et prénom").fill("Jeanne Lemoine")
    page.get_by_label("E-mail").fill("jeanne@cidrerie.test")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()


def test_a_firm_is_filled_from_the_sirene_api_and_the_need_keeps_it(
    page, world, settings, axe_violations
):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    with replay_server() as sirene:
        settings.SIRENE_API_URL = sirene.url
        describe_need(page)
        company = page.get_by_role("combobox", name="Entreprise ou projet")
        company.press_sequentially("Cidrer", delay=40)

        suggestions = page.get_by_role("listbox", name="Suggestions")
        expect(suggestions.get_by_role("option")).to_have_count(2)
        first = suggestions.get_by_role("option").first
        expect(first).to_contain_text("CIDRERIE DU BOCAGE")
        expect(first).to_contain_text("81234567600009 · 14000 CAEN · Répertoire Sirene")
        expect(company).to_have_attribute("aria-expanded", "true")
        assert axe_violations() == []
        # The keyboard alone: up goes round to the last firm, down back to the first, Enter
        # picks it (the form is not sent).
        company.press("ArrowUp")
        expect(suggestions.get_by_role("option").last).to_have_attribute("aria-selected", "true")
        company.press("ArrowDown")
        expect(first).to_have_attribute("aria-selected", "true")
        expect(company).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
        company.press("Enter")

        expect(suggestions).to_be_hidden()
        expect(company).to_have_value("CIDRERIE DU BOCAGE")
        expect(page.get_by_label("SIRET")).to_have_value("81234567600009")
        expect(page.get_by_label("Commune")).to_have_value("Caen (14118)")
        assert not Need.objects.exists()
        page.get_by_role("button", name="Déposer mon besoin").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
        assert sirene.queries[-1]["q"] == "Cidrer"

    need = Need.objects.get()
    assert (need.company_name, need.siret, need.commune) == (
        "CIDRERIE DU BOCAGE",
        "81234567600009",
        world.caen,
    )
    assert errors == []


def test_with_the_api_down_the_register_suggests_and_nothing_errors(page, world, settings):
    settings.SIRENE_API_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    unit = LegalUnitFactory(siren="423891456", name="Cidre et Code")
    EstablishmentFactory(
        legal_unit=unit,
        siret="42389145600000",
        is_head_office=True,
        street="4 RUE ECUYERE",
        postcode="14000",
        city="CAEN",
        commune_code="14118",
        commune=world.caen,
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    answers = []
    page.on(
        "response", lambda r: answers.append(r.status) if "/annuaire/suggestions/" in r.url else 0
    )
    describe_need(page)
    company = page.get_by_role("combobox", name="Entreprise ou projet")
    company.press_sequentially("cidre", delay=40)

    option = page.get_by_role("option", name=re.compile("Cidre et Code"))
    expect(option).to_contain_text("42389145600000 · 14000 CAEN · Annuaire de la plateforme")
    # Escape closes the list, an arrow opens it again; a click picks.
    company.press("Escape")
    expect(option).to_be_hidden()
    expect(company).to_have_attribute("aria-expanded", "false")
    company.press("ArrowDown")
    option.click()

    expect(page.get_by_label("SIRET")).to_have_value("42389145600000")
    expect(page.get_by_label("Commune")).to_have_value("Caen (14118)")
    # Typing on to a name nobody knows: nothing suggested, said, and the form still goes.
    company.fill("")
    company.press_sequentially("Ferme Zygomatique", delay=20)
    expect(page.get_by_text("Aucune entreprise trouvée : continuez à la main.")).to_be_attached()
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Déposer mon besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")

    need = Need.objects.get()
    assert (need.company_name, need.siret) == ("Ferme Zygomatique", "42389145600000")
    assert set(answers) == {200}
    assert errors == []


def test_without_script_the_form_is_an_ordinary_one(chromium, live_server, world, settings):
    settings.SIRENE_API_URL = ""
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    describe_need(page)
    company = page.get_by_label("Entreprise ou projet")
    expect(company).not_to_have_attribute("role", "combobox")
    expect(page.get_by_role("listbox")).to_have_count(0)
    company.fill("Cidrerie du Bocage")
    page.get_by_label("SIRET").fill("81234567600009")
    page.get_by_label("Commune").fill("Caen (14118)")
    page.get_by_role("button", name="Déposer mon besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    context.close()

    assert Need.objects.get().siret == "81234567600009"
