"""The showcase in the browser: a project's lead publishes it from its page, a visitor finds
it on /vitrine/ from the menu, and neither the unpublished nor the unlabelled projects; the
lead withdraws it. Once with a lead who has an account, once with a newcomer who signs up,
joins their firm and creates their project."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation, User
from filiere.projects.demo import REVIEWER_EMAIL
from filiere.projects.models import Project
from tests.browser.conftest import serious_violations
from tests.browser.test_teams import sign_up
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory
from tests.showcase.projects import draft, label, labelled
from tests.worlds import innovation_world

pytestmark = pytest.mark.browser

DEMO_LEAD = "contact@atelier-pixel.demo.filiere.fr"
PUBLIC_SUMMARY = "Une IA qui aide les radiologues à lire les images plus vite."


@pytest.fixture
def iw(transactional_db):
    return innovation_world()


def publish(page, summary: str = PUBLIC_SUMMARY):
    section = page.locator("#showcase")
    section.get_by_label("Résumé public").fill(summary)
    section.get_by_role("button", name="Publier dans la vitrine").click()
    expect(page.get_by_role("status")).to_contain_text("Projet publié dans la vitrine")


def showcase_of(visitor):
    """The showcase as a visitor reaches it: from the site's menu."""
    visitor.goto("/")
    visitor.get_by_role("navigation").get_by_role("link", name="Vitrine").click()
    return visitor.locator("#showcase-projects")


def test_a_lead_publishes_a_labelled_project_and_a_visitor_finds_it_alone(iw, open_page):
    shown = labelled(iw, title="Diagnostic par IA", fundings=[("Région Normandie", 120000)])
    labelled(iw, title="Radiologie sans publication")
    draft(iw, title="Brouillon d'imagerie")
    lead = open_page("lea@medimage.test")
    lead.goto(f"/projets/{shown.pk}/")
    publish(lead)
    expect(lead.locator("#showcase")).to_contain_text("publié dans la vitrine publique")

    visitor = open_page()
    projects = showcase_of(visitor)
    expect(projects).to_contain_text("Diagnostic par IA")
    expect(projects).to_contain_text(PUBLIC_SUMMARY)
    expect(projects).not_to_contain_text("Radiologie sans publication")
    expect(projects).not_to_contain_text("Brouillon d'imagerie")
    assert serious_violations(visitor) == []
    projects.get_by_role("link", name="Diagnostic par IA").click()
    expect(visitor.locator("#consortium")).to_contain_text("Laboratoire GREYC")
    expect(visitor.locator("#fundings")).to_contain_text("Région Normandie : 120\xa0000 €")
    expect(visitor.locator("main")).not_to_contain_text("Dossier confidentiel")

    # The lead withdraws it: it leaves the showcase.
    lead.locator("#showcase").get_by_role("button", name="Retirer de la vitrine").click()
    expect(lead.get_by_role("status")).to_contain_text("Projet retiré de la vitrine")
    expect(showcase_of(visitor)).to_contain_text("Aucun projet publié")


def test_a_newcomer_who_leads_a_project_publishes_it_once_labelled(iw, page, open_page):
    unit = LegalUnitFactory(name="Bocage Numérique", website="https://www.bocage-numerique.fr")
    EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=CommuneFactory())
    sign_up(page, "claire@bocage-numerique.fr")
    page.goto(f"/annuaire/{unit.siren}/")
    page.get_by_role("link", name="Rejoindre son équipe").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("status")).to_contain_text("Vous faites maintenant partie")

    page.goto("/projets/nouveau/")
    page.get_by_label("Titre").fill("Bocage connecté")
    page.get_by_label("Porteur").select_option(label="Bocage Numérique")
    page.get_by_label("Pôle qui instruit").select_option(str(iw.tes.pk))
    page.get_by_label("Marché").select_option(label="Agriculture et agroalimentaire")
    page.get_by_label("Maturité (TRL)").fill("5")
    page.get_by_label("Résumé").fill("Nos prix et nos clients : confidentiel.")
    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.locator("#project-state")).to_have_text("Brouillon")
    project = Project.objects.get(title="Bocage connecté")
    # A draft is not published: the page offers nothing, and the showcase shows nothing.
    expect(page.locator("#showcase")).to_have_count(0)
    visitor = open_page()
    expect(showcase_of(visitor)).not_to_contain_text("Bocage connecté")

    # The cluster labels it (its part of the pipeline has its own browser tests).
    label(iw, project, user=User.objects.get(email="claire@bocage-numerique.fr"))
    page.reload()
    publish(page, "Des capteurs pour les haies bocagères.")
    projects = showcase_of(visitor)
    expect(projects).to_contain_text("Bocage connecté")
    expect(projects).to_contain_text("Des capteurs pour les haies bocagères.")
    expect(projects).to_contain_text("Agriculture et agroalimentaire")
    expect(projects).not_to_contain_text("confidentiel")


@pytest.fixture
def demo_pipeline(scenario):
    """The demo's innovation pipeline, with the demo firm's own project, sent back to it."""
    unit = LegalUnitFactory(
        name="Atelier Pixel (démo)",
        organisation=Organisation.objects.get(slug=DEMO_COMPANY_SLUG),
        is_demo=True,
    )
    call_command("load_demo_projects", stdout=StringIO())
    return Project.objects.get(lead=unit)


def test_the_demo_lead_publishes_the_demo_firms_project_once_labelled(
    demo_pipeline, login, page, open_page
):
    visitor = open_page()
    projects = showcase_of(visitor)
    # The demo's two published winners, and not the demo firm's draft.
    expect(projects.locator("li.card")).to_have_count(2)
    expect(projects).not_to_contain_text(demo_pipeline.title)
    login(DEMO_LEAD)
    page.goto(f"/projets/{demo_pipeline.pk}/")
    expect(page.locator("#project-state")).to_have_text("Brouillon")
    expect(page.locator("#showcase")).to_have_count(0)

    # The demo's cluster labels it (its expert and officer, through the pipeline's rules).
    cluster = SimpleNamespace(
        tes=demo_pipeline.cluster,
        officer=User.objects.get(email="coordination@tes.demo.filiere.fr"),
        reviewer=User.objects.get(email=REVIEWER_EMAIL),
        lab=LegalUnitFactory(name="Laboratoire GREYC"),
    )
    label(cluster, demo_pipeline, user=User.objects.get(email=DEMO_LEAD))
    page.reload()
    publish(page, "Réserver un gîte normand en ligne, calendrier et paiement compris.")
    projects = showcase_of(visitor)
    expect(projects.locator("li.card")).to_have_count(3)
    expect(projects).to_contain_text(demo_pipeline.title)
