"""The first programme officer of a new Region, invited by the platform's administrator,
sets a small contract up from the pages (an axis, an action, an indicator typed in with its
target), publishes it, records a measurement that the dashboard shows, then corrects the
action's title and finds the change in its history."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from filiere.accounts.enums import OrganisationKind
from tests.browser.conftest import serious_violations
from tests.browser.test_teams import path_in_last_mail, sign_up
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.worlds import PASSWORD

pytestmark = pytest.mark.browser


def field(text: str) -> re.Pattern:
    """A field's label, whole (« Région », not « Budget régional »), before its colon."""
    return re.compile(rf"^{re.escape(text)}\W*$")


def _add(page, summary: str, fields: dict[str, str], selects: dict[str, str] | None = None):
    """Open one of the set-up page's « Ajouter … » forms, fill it and send it (htmx)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    details.locator("summary").click()
    for label, value in fields.items():
        details.get_by_label(field(label)).fill(value)
    for label, option in (selects or {}).items():
        details.get_by_label(field(label)).select_option(label=option)
    details.get_by_role("button", name=summary).click()


def test_an_officer_sets_a_contract_up_publishes_it_and_measures(
    page, open_page, transactional_db, login
):
    RegionFactory(code="53", name="Bretagne")
    OrganisationFactory(
        slug="region-bretagne", name="Région Bretagne", kind=OrganisationKind.REGIONAL_COUNCIL
    )
    UserFactory(email="admin@filiere.example.fr", is_superuser=True)
    today = date.today()

    # The platform's administrator makes the new Region's first programme officer.
    login("admin@filiere.example.fr", PASSWORD)
    page.goto("/comptes/organisations/region-bretagne/equipe/")
    invite = page.get_by_role("region", name="Inviter un·e collègue")
    invite.get_by_label("Adresse e-mail de la personne").fill("pilote@bretagne.example.fr")
    invite.get_by_label("Rôle").select_option(label="Chargé·e de mission de la Région")
    invite.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator("#open-invitations")).to_contain_text("pilote@bretagne.example.fr")
    page = open_page()
    invitation = path_in_last_mail("pilote@bretagne.example.fr")
    sign_up(page, "pilote@bretagne.example.fr")
    page.goto(invitation)
    page.get_by_role("button", name="Rejoindre l'équipe").click()
    expect(page.get_by_role("status")).to_contain_text("Vous faites maintenant partie")

    page.goto("/")
    page.get_by_role("link", name="Nouveau contrat").click()
    page.get_by_label(field("Région")).select_option(label="Bretagne")
    page.get_by_label(field("Intitulé")).fill("Contrat Mer et littoral")
    page.get_by_label(field("Filière")).fill("Économie de la mer")
    page.get_by_label(field("Début")).fill(f"{today.year - 1}-01-01")
    page.get_by_label(field("Fin")).fill(f"{today.year + 1}-12-31")
    page.get_by_label(field("Budget régional (€)")).fill("400000")
    page.get_by_role("button", name="Créer le contrat").click()
    page.wait_for_url("**/contrats/contrat-mer-et-littoral/gestion/")
    expect(page.locator("#contract-unpublished")).to_be_visible()

    _add(page, "Ajouter l'axe", {"Numéro": "1", "Intitulé": "Accompagner les ports"})
    expect(page.locator("#setup-axes")).to_contain_text("Accompagner les ports")
    _add(page, "Ajouter l'action", {"Code": "1.1", "Intitulé": "Ports numériques"})
    expect(page.locator("#setup-actions")).to_contain_text("Ports numériques")
    _add(
        page,
        "Ajouter l'indicateur",
        {
            "Code": "ports-equipes",
            "Intitulé": "Ports équipés",
            "Unité": "ports",
            "Cible": "12",
            "Échéance": f"{today.year + 1}-12-31",
        },
        selects={"Action": "1.1 Ports numériques", "Source": "Saisie manuelle"},
    )
    expect(page.locator("#setup-indicators")).to_contain_text("Ports équipés")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Publier le contrat").click()
    expect(page.locator("#contract-unpublished")).to_have_count(0)

    page.goto("/contrats/contrat-mer-et-littoral/indicateurs/ports-equipes/")
    page.get_by_label(field("Valeur")).fill("5")
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("Mesure enregistrée.")).to_be_visible()

    page.goto("/contrats/contrat-mer-et-littoral/")
    row = page.locator("tr", has=page.get_by_role("link", name="Ports équipés"))
    expect(row.locator("td").nth(1)).to_contain_text("5")
    expect(row.locator("td").nth(2)).to_contain_text("12")

    page.get_by_role("link", name="Gérer le contrat").click()
    page.locator("#setup-actions").get_by_role("link", name="1.1 Ports numériques").click()
    page.get_by_label(field("Intitulé")).fill("Ports et criées numériques")
    page.get_by_label("Motif").first.fill("Intitulé de la convention signée")
    page.get_by_role("button", name="Modifier l'action").click()
    history = page.locator(".record-history")
    expect(history).to_contain_text("Intitulé de la convention signée")
    expect(history.locator("del")).to_contain_text("Ports numériques")
    expect(history.locator("ins")).to_contain_text("Ports et criées numériques")
    assert serious_violations(page) == []
