import csv
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.enums import OrganisationKind, Role
from filiere.programme.models import Contract
from tests.browser.conftest import serious_violations
from tests.factories import (
    CohortFactory,
    CommuneFactory,
    ContractFactory,
    DepartementFactory,
    IndicatorFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def places(transactional_db):
    """Two referenced sites of the Calvados and one of the Manche, a running contract of the
    région counting the places labelled each year, a candidate and the Region's officer."""
    region = RegionFactory(code="28", name="Normandie")
    for code in ("14", "50"):
        DepartementFactory(code=code, region=region)
    CommuneFactory(code="14118", name="Caen", latitude=49.18, longitude=-0.37)
    ThirdPlaceFactory(name="Le Dôme", source="ANCT", source_id="dome")
    ThirdPlaceFactory(name="Médiathèque Alexis de Tocqueville", source="ANCT", source_id="bib")
    ThirdPlaceFactory(
        name="Fablab de Saint-Lô",
        postcode="50000",
        city="Saint-Lô",
        departement_code="50",
        latitude=49.11,
        longitude=-1.09,
    )
    today = timezone.localdate()
    contract = ContractFactory(
        slug="contrat-en-cours",
        region=region,
        start_date=today - timedelta(days=365),
        end_date=today + timedelta(days=730),
    )
    IndicatorFactory(
        contract=contract,
        code="tiers-lieux",
        name="Tiers-lieux labellisés dans l'année",
        computed_source="registers.third_places_labelled_in_year",
        baseline_date=contract.start_date,
        deadline=contract.end_date,
    )
    UserFactory(email="animatrice@dome.test")
    member(
        OrganisationFactory(kind=OrganisationKind.REGIONAL_COUNCIL, name="Région Normandie"),
        Role.PROGRAMME_OFFICER,
        email="charge@region.test",
    )


def test_a_referenced_place_applies_is_labelled_and_counted(places, open_page):
    visitor = open_page()
    visitor.goto("/registres/tiers-lieux/")
    visitor.get_by_label("Département").select_option("14")
    visitor.get_by_role("button", name="Filtrer").click()
    expect(visitor.locator("caption")).to_have_text("2 lieux")
    expect(visitor.locator("#third-places-map[data-ready='1']")).to_have_count(1)
    expect(visitor.locator("table")).not_to_contain_text("Fablab de Saint-Lô")
    assert serious_violations(visitor) == []
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Exporter en CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert sorted(r["nom"] for r in rows) == ["Le Dôme", "Médiathèque Alexis de Tocqueville"]

    candidate = open_page("animatrice@dome.test")
    candidate.goto("/registres/tiers-lieux/?q=dôme")
    candidate.get_by_role("link", name="Le Dôme").click()
    expect(candidate.locator("#place-status")).to_have_text("Référencé")
    candidate.get_by_role("link", name="Candidater au label pour ce lieu").click()
    candidate.get_by_label("Adresse").fill("3 esplanade Stéphane Hessel")
    candidate.get_by_label("Services").fill("Fablab, living lab, ateliers de médiation numérique")
    assert serious_violations(candidate) == []
    candidate.get_by_role("button", name="Déposer la candidature").click()
    expect(candidate.locator("#place-status")).to_have_text("Candidature déposée")
    expect(candidate.get_by_role("heading", name="Décision de labellisation")).to_have_count(0)
    place_url = candidate.url

    officer = open_page("charge@region.test")
    officer.goto("/contrats/contrat-en-cours/indicateurs/tiers-lieux/")
    figure = officer.locator("#indicator-figures .figure").first
    expect(figure).to_have_text("0")
    officer.goto(place_url)
    officer.get_by_label("Labelliser", exact=True).check()
    officer.get_by_label("Motifs").fill("Lieu ouvert à tous, programme de médiation régulier")
    officer.get_by_role("button", name="Enregistrer la décision").click()
    expect(officer.locator("#place-status")).to_have_text("Labellisé")
    officer.goto("/contrats/contrat-en-cours/indicateurs/tiers-lieux/")
    expect(figure).to_have_text("1")


def test_every_register_is_reachable_from_the_registers_home(places, open_page):
    page = open_page()
    for link, heading in [
        ("Résidences thématiques", "Résidences thématiques du pôle"),
        ("Datalab régional", "Datalab régional : projets collaboratifs big data et open data"),
        ("Parcours de formation", "Parcours de formation multimodaux"),
        ("Tiers-lieux", "Tiers-lieux et lieux du numérique"),
    ]:
        page.goto("/registres/")
        page.get_by_role("main").get_by_role("link", name=link).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert serious_violations(page) == [], link


def test_the_cluster_hosts_a_firm_and_records_its_exit(places, open_page):
    tes = OrganisationFactory(name="Pôle TES", kind=OrganisationKind.CLUSTER)
    member(tes, Role.COORDINATOR, email="residences@tes.test")
    residence = ResidenceFactory(name="Agri up", operator=tes, capacity=8)
    today = timezone.localdate()
    CohortFactory(residence=residence, name="Promotion en cours", starts_on=today)
    unit = LegalUnitFactory(name="Ferme connectée")
    IndicatorFactory(
        contract=Contract.objects.get(slug="contrat-en-cours"),
        code="hebergees",
        computed_source="registers.firms_hosted",
    )

    page = open_page("residences@tes.test")
    page.goto("/registres/residences/")
    expect(page.get_by_text("Agri up", exact=True)).to_be_visible()
    page.get_by_text("Gérer les résidences").click()
    page.get_by_label("Promotion", exact=False).and_(page.get_by_role("combobox")).select_option(
        label="Agri up — Promotion en cours"
    )
    page.get_by_label("SIREN (si l'entreprise est dans l'annuaire)").fill(unit.siren)
    page.get_by_role("button", name="Accueillir l'entreprise").click()
    expect(page.get_by_role("status")).to_contain_text("Ferme connectée accueillie")
    expect(page.locator("main li", has_text="Agri up")).to_contain_text(
        "1 entreprise hébergée sur 8 places"
    )
    row = page.locator("tr", has_text="Ferme connectée")
    expect(row.get_by_role("link", name="Ferme connectée")).to_be_visible()
    assert serious_violations(page) == []

    page.goto("/contrats/contrat-en-cours/indicateurs/hebergees/")
    expect(page.locator("#indicator-figures .figure").first).to_have_text("1")

    page.goto("/registres/residences/")
    row = page.locator("tr", has_text="Ferme connectée")
    row.get_by_text("Enregistrer la sortie").first.click()
    row.get_by_label("Devenir").select_option(label="Installée dans ses propres locaux")
    row.get_by_label("Précisions").fill("Locaux à Caen")
    row.get_by_role("button", name="Enregistrer la sortie").click()
    expect(page.get_by_role("status")).to_contain_text("Sortie de Ferme connectée enregistrée")
    expect(page.locator("tr", has_text="Ferme connectée")).to_contain_text("Locaux à Caen")


def test_an_officer_imports_training_paths_and_fixes_a_bad_file(places, open_page, tmp_path):
    header = "intitule;organisme;siren;modalite;heures;cree_le;lien\n"
    bad = tmp_path / "parcours.csv"
    bad.write_text(header + "Développeur web;Simplon;;en ligne;400;2019-01-07;\n", "utf-8")
    page = open_page("charge@region.test")
    page.goto("/registres/formations/")
    page.get_by_text("Importer des parcours (CSV)").click()
    page.get_by_label("Fichier CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("parcours.csv, ligne 2, champ « modalite »")
    assert serious_violations(page) == []

    bad.write_text(
        header
        + "Développeur web;Simplon;;Multimodal (présentiel et distance);400;2019-01-07;\n"
        + "Cybersécurité;Université de Caen;;À distance;120;2019-09-02;\n",
        "utf-8",
    )
    page.get_by_label("Fichier CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("parcours ajoutés: 2")
    page.get_by_label("Modalité").select_option(label="À distance")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Cybersécurité")

    # The file gave the wrong duration: the officer corrects the path from its page.
    page.get_by_role("link", name="Cybersécurité").click()
    correction = page.get_by_role("form", name="Corriger le parcours")
    correction.get_by_label("Durée (heures)").fill("140")
    correction.get_by_label("Motif").fill("Durée du programme 2019")
    assert serious_violations(page) == []
    correction.get_by_role("button", name="Corriger le parcours").click()
    expect(page.get_by_role("status")).to_contain_text("Parcours corrigé")
    expect(page.locator("#training-path-facts")).to_contain_text("140 h")
    history = page.locator(".record-history")
    expect(history).to_contain_text("Durée du programme 2019")
    expect(history).to_contain_text("120 → 140")


def test_an_officer_adds_a_datalab_project_with_its_data(places, open_page):
    unit = LegalUnitFactory(name="Cloud Normand")
    page = open_page("charge@region.test")
    page.goto("/registres/datalab/")
    page.get_by_role("link", name="Ajouter un projet").click()
    page.get_by_label("Titre").fill("Mobilités partagées")
    page.get_by_label("Résumé").fill("Croiser covoiturage et transports publics.")
    page.get_by_label("État").select_option(label="En cours")
    page.get_by_label("Lancement").fill("2019-04-01")
    page.get_by_label("Partenaires de l'annuaire (SIREN)").fill(unit.siren)
    page.locator("#id_datasets-0-name").fill("Base nationale du covoiturage")
    page.locator("#id_datasets-0-role").select_option(label="Utilise")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_role("status")).to_contain_text("Projet du datalab enregistré")
    card = page.locator(".card", has_text="Mobilités partagées")
    expect(card.get_by_role("link", name="Cloud Normand")).to_be_visible()
    expect(card).to_contain_text("Utilise : Base nationale du covoiturage")

    # Its state changes later: the update says why, and the project's page keeps it.
    card.get_by_role("link", name="Modifier").click()
    page.get_by_label("État").select_option(label="Terminé")
    page.locator("#id_reason").fill("Restitution faite en juin")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_role("status")).to_contain_text("Projet du datalab enregistré")
    page.locator(".card", has_text="Mobilités partagées").get_by_role(
        "link", name="Modifier"
    ).click()
    history = page.locator(".record-history")
    expect(history).to_contain_text("Restitution faite en juin")
    expect(history).to_contain_text("En cours → Terminé")
