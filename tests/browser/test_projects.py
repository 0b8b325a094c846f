from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.projects.enums import PartnerKind, ProjectState
from filiere.projects.models import Project
from filiere.projects.services.consortium import partner_add
from filiere.projects.services.projects import EDITED_FIELDS, project_create, project_edit
from filiere.projects.services.workflow import project_move
from tests.factories import (
    ActionFactory,
    ContractFactory,
    IndicatorFactory,
    LegalUnitFactory,
    OrganisationFactory,
    member,
)
from tests.worlds import innovation_world

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def iw(transactional_db):
    return innovation_world()


@pytest.fixture
def running_contract(iw):
    """A contract running today whose innovation action the cluster coordinates, with the
    indicators its projects feed."""
    today = timezone.localdate()
    contract = ContractFactory(
        slug="contrat-en-cours",
        start_date=today - timedelta(days=365),
        end_date=today + timedelta(days=730),
    )
    action = ActionFactory(axis__contract=contract, coordinator=iw.tes)
    for code, source in [
        ("labellises", "projects.labelled"),
        ("finances", "projects.funded"),
        ("montants", "projects.amount_raised"),
    ]:
        IndicatorFactory(
            contract=contract,
            action=action,
            code=code,
            computed_source=source,
            baseline_date=contract.start_date,
            deadline=contract.end_date,
        )
    return contract


def latest_value(page, code: str):
    page.goto(f"/contrats/contrat-en-cours/indicateurs/{code}/")
    return page.locator("#indicator-figures .figure").first


def move(page, button, **fields):
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button, exact=True).click()


def funding_form(page):
    """The form that records a new funding (each recorded one has its correction form)."""
    return page.locator(
        "form", has=page.get_by_role("button", name="Enregistrer le financement", exact=True)
    )


def test_a_project_goes_from_draft_to_closed_with_three_roles(
    iw, running_contract, open_page, tmp_path
):
    lead = open_page("lea@medimage.test")
    lead.goto("/projets/nouveau/")
    lead.get_by_label("Titre").fill("Diagnostic par IA en imagerie médicale")
    lead.get_by_label("Porteur").select_option(label="MedImage")
    lead.get_by_label("Pôle qui instruit").select_option(str(iw.tes.pk))
    lead.get_by_label("Marché").select_option(label="Santé")
    lead.get_by_label("Maturité (TRL)").fill("4")
    lead.get_by_label("Résumé").fill("Aider les radiologues par l'intelligence artificielle.")
    lead.get_by_role("button", name="Créer le brouillon").click()
    expect(lead.locator("#project-state")).to_have_text("Brouillon")
    url = lead.url
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(PDF)
    lead.locator("#id_file").set_input_files(str(pdf))
    lead.get_by_role("button", name="Joindre le document").click()
    expect(lead.get_by_role("link", name="dossier.pdf")).to_be_visible()
    # The consortium and its budget, from the edit page: the lead's share, then a laboratory.
    lead.get_by_role("link", name="Modifier le projet").click()
    lead.get_by_label("Budget de MedImage").fill("250000")
    lead.get_by_role("button", name="Enregistrer les modifications").click()
    lead.get_by_role("link", name="Modifier le projet").click()
    lead.get_by_text("Ajouter un partenaire").click()
    lead.get_by_label("Nom").fill("Laboratoire LITIS")
    lead.get_by_label("Rôle dans le consortium").select_option(label="Laboratoire")
    lead.get_by_label("Budget du partenaire (€)").fill("80000")
    lead.get_by_role("button", name="Ajouter au consortium").click()
    expect(lead.get_by_role("status")).to_contain_text("Laboratoire LITIS rejoint le consortium")
    lead.goto(url)
    expect(lead.locator("#budget-total")).to_have_text("330\u202f000 €")
    move(lead, "Déposer le projet")
    expect(lead.locator("#project-state")).to_have_text("Déposé")

    officer = open_page("officier@tes.test")
    officer.goto(url)
    for email in ("ami@medimage.test", "expert@labo.test"):
        officer.get_by_label("E-mail de l'expert").fill(email)
        officer.get_by_role("button", name="Nommer l'expert").click()
    move(officer, "Lancer l'expertise")
    expect(officer.locator("#project-state")).to_have_text("En expertise")

    conflicted = open_page("ami@medimage.test")
    conflicted.goto(url)
    conflicted.get_by_label("Oui, j'ai un lien").check()
    conflicted.get_by_label("Nature du lien").fill("Ancien associé du porteur")
    conflicted.get_by_role("button", name="Enregistrer ma déclaration").click()
    # A conflicted expert loses the project: back on the list, told why.
    expect(conflicted.get_by_role("status")).to_contain_text(
        "ce projet ne vous est plus accessible"
    )
    assert conflicted.goto(url).status == 404

    # The expert, who belongs to no member organisation, finds the project from the menu.
    reviewer = open_page("expert@labo.test")
    reviewer.get_by_role("navigation").get_by_role("link", name="Projets").click()
    reviewer.get_by_role("link", name="Diagnostic par IA en imagerie médicale").click()
    reviewer.get_by_role("link", name="Votre expertise est attendue").click()
    reviewer.get_by_label("Non, aucun lien d'intérêts").check()
    reviewer.get_by_role("button", name="Enregistrer ma déclaration").click()
    reviewer.get_by_label("Avis").select_option(label="Favorable")
    reviewer.get_by_label("Commentaires").fill("Consortium solide.")
    reviewer.get_by_role("button", name="Rendre mon avis").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Avis d'expertise enregistré")

    # The lead has no labelling button, and forcing the move is refused.
    lead.goto(url)
    expect(lead.get_by_role("button", name="Labelliser")).to_have_count(0)
    token = lead.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    refused = lead.request.post(
        f"{url}etat/",
        form={
            "move": "labelled",
            "labelled-to": "labelled",
            "labelled-reason": "x",
            "labelled-committee": "x",
        },
        headers={"X-CSRFToken": token, "Referer": url},
    )
    assert "revient au chargé de mission du pôle" in refused.text()
    assert Project.objects.get().state == "under_review"

    expect(latest_value(officer, "labellises")).to_have_text("0")
    officer.goto(url)
    move(
        officer,
        "Labelliser",
        Motif="Innovation de rupture, marché identifié",
        Comité="Comité TES de mars",
    )
    expect(officer.locator("#project-state")).to_have_text("Labellisé")
    # The contract's dashboard counts the labelled project.
    expect(latest_value(officer, "labellises")).to_have_text("1")
    officer.goto(url)
    move(officer, "Rechercher des financements")

    lead.goto(url)
    lead.get_by_role("link", name="Financements possibles pour ce projet").click()
    eligible = lead.locator("#eligible")
    expect(eligible).to_contain_text("Appel à projets Santé numérique")
    expect(eligible).not_to_contain_text("Tourisme connecté")

    officer.goto(url)
    funding = funding_form(officer)
    funding.get_by_label("Dispositif").select_option(label="Appel à projets Santé numérique")
    funding.get_by_label("Montant (€)").fill("120000")
    funding.get_by_label("Date d'octroi").fill(timezone.localdate().isoformat())
    funding.get_by_role("button", name="Enregistrer le financement").click()
    move(officer, "Déclarer financé")
    expect(officer.locator("#project-state")).to_have_text("Financé")
    expect(latest_value(officer, "finances")).to_have_text("1")
    expect(latest_value(officer, "montants")).to_contain_text("120")
    officer.goto(url)
    move(officer, "Démarrer le projet")
    # A funding obtained once the project is under way is recorded too.
    funding = funding_form(officer)
    funding.get_by_label("Financeur").fill("Bpifrance")
    funding.get_by_label("Montant (€)").fill("30000")
    funding.get_by_label("Date d'octroi").fill(timezone.localdate().isoformat())
    funding.get_by_role("button", name="Enregistrer le financement").click()
    expect(officer.get_by_role("status")).to_contain_text("Financement enregistré")
    move(officer, "Clore le projet", Résultats="Produit certifié et commercialisé")
    expect(officer.locator("#project-state")).to_have_text("Clos")
    expect(officer.locator("#history li")).to_have_count(8)


@pytest.fixture
def newcomer(iw):
    """A firm's member who has just been given an account, and their firm."""
    robonorm = OrganisationFactory(slug="robonorm", name="RoboNorm")
    person = member(robonorm, Role.COMPANY_MEMBER, email="camille@robonorm.test")
    return person, LegalUnitFactory(name="RoboNorm", organisation=robonorm)


def test_a_lead_sent_back_for_changes_edits_the_project_and_submits_it_again(
    iw, newcomer, open_page
):
    person, firm = newcomer
    project = project_create(
        user=person,
        lead=firm,
        cluster=iw.tes,
        title="Cobot de préparation de commandes",
        summary="Un robot collaboratif pour les entrepôts du port du Havre.",
        market="port_logistics",
        trl=5,
    )
    lead_partner = project.partners.get()
    project_edit(
        project=project,
        user=person,
        lead=firm,
        skills=[],
        partners={lead_partner.pk: {"kind": PartnerKind.FIRM, "budget": Decimal("90000")}},
        **{name: getattr(project, name) for name in EDITED_FIELDS},
    )
    partner_add(
        project=project,
        user=person,
        name="Terminal du Havre",
        kind=PartnerKind.END_USER,
        budget=Decimal("20000"),
    )
    project_move(project=project, to=ProjectState.SUBMITTED, user=person)
    project_move(
        project=project,
        to=ProjectState.DRAFT,
        user=iw.officer,
        reason="Le budget ne couvre pas les essais sur site.",
    )

    lead = open_page("camille@robonorm.test")
    lead.goto(f"/projets/{project.pk}/")
    expect(lead.locator("#history")).to_contain_text("Le budget ne couvre pas les essais sur site.")
    lead.get_by_role("link", name="Modifier le projet").click()
    lead.get_by_label("Titre").fill("Cobot de préparation de commandes portuaires")
    lead.get_by_label("Budget de RoboNorm").fill("140000")
    lead.get_by_label("Ce qui change (facultatif)").fill("Essais sur site ajoutés")
    lead.get_by_role("button", name="Enregistrer les modifications").click()
    expect(lead.get_by_role("status")).to_contain_text("Projet modifié.")
    history = lead.locator("#project-history-title + .history")
    expect(history.locator("del").first).to_be_visible()
    expect(history).to_contain_text("Essais sur site ajoutés")
    # The earlier title and budget, struck out, beside the new ones.
    expect(history.locator("del", has_text="Cobot de préparation de commandes")).to_have_count(1)
    expect(history.locator("del", has_text="90\u202f000")).to_have_count(1)
    expect(history.locator("ins", has_text="140\u202f000")).to_have_count(1)
    expect(lead.locator("#budget-total")).to_have_text("160\u202f000 €")

    move(lead, "Déposer le projet")
    expect(lead.locator("#project-state")).to_have_text("Déposé")
    # Submitted, the project is the cluster's to review as it is.
    expect(lead.get_by_role("link", name="Modifier le projet")).to_have_count(0)
    refused = lead.goto(f"/projets/{project.pk}/modifier/")
    assert refused.status == 409
    expect(lead.get_by_role("main")).to_contain_text("ne se modifie plus")


def test_a_draft_of_0_euros_is_not_submitted_and_the_lead_is_told_where_to_fix_it(
    iw, newcomer, open_page
):
    person, firm = newcomer
    project = project_create(
        user=person,
        lead=firm,
        cluster=iw.tes,
        title="Jumeau numérique d'atelier",
        summary="Simuler l'atelier avant de le réorganiser.",
        market="industry",
        trl=4,
    )
    lead = open_page("camille@robonorm.test")
    lead.goto(f"/projets/{project.pk}/")
    move(lead, "Déposer le projet")
    expect(lead.get_by_role("status")).to_contain_text("Le budget du projet est de 0 €")
    expect(lead.get_by_role("status")).to_contain_text("Consortium et budget")
    expect(lead.locator("#project-state")).to_have_text("Brouillon")
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT
