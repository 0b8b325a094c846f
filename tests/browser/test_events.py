import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from filiere.accounts.enums import OrganisationKind, Role
from filiere.events.models import Event, Meeting, Registration
from tests.browser.conftest import serious_violations
from tests.factories import OrganisationFactory, member
from tests.worlds import matching_world

pytestmark = pytest.mark.browser

# The events' day: a month ahead, open to registration until the deadline or the start.
DAY = timezone.localdate() + timedelta(days=30)


PARTICIPANTS = [
    ("lea@pixel.test", "Atelier Pixel", "Sites internet et boutiques en ligne", "cybersécurité"),
    ("marc@rempart.test", "Rempart Sécurité", "Audit de cybersécurité, sauvegardes", "boutique"),
    ("ana@cidrerie.test", "Cidrerie du Bocage", "Cidres et poirés", "boutique en ligne"),
]


@pytest.fixture
def world(transactional_db):
    world = matching_world()
    member(OrganisationFactory(slug="cidrerie"), Role.COMPANY_MEMBER, email="ana@cidrerie.test")
    return world


def register(page, slug, company, offer, seek):
    page.goto(f"/evenements/{slug}/")
    page.get_by_label("Entreprise").fill(company)
    page.get_by_label("Ce que vous proposez").fill(offer)
    page.get_by_label("Ce que vous cherchez").fill(seek)
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator("#registration-status")).to_have_text("En attente de validation")


def test_a_matchmaking_meeting_from_creation_to_no_show(world, open_page):
    organiser = open_page("conseil@cci.test")
    organiser.goto("/evenements/")
    organiser.get_by_role("link", name="Créer un événement").click()
    organiser.get_by_label(re.compile("^Intitulé")).fill("Rendez-vous du numérique de Caen")
    organiser.get_by_label(re.compile("^Type")).select_option(label="Rendez-vous d'affaires")
    organiser.get_by_label(re.compile("^Organisateur")).select_option(label="CCI")
    organiser.get_by_label(re.compile("^Début")).fill(f"{DAY:%Y-%m-%d}T09:00")
    organiser.get_by_label(re.compile("^Fin")).fill(f"{DAY:%Y-%m-%d}T12:00")
    organiser.get_by_label(re.compile("^Lieu")).fill("CCI Caen Normandie")
    organiser.get_by_role("button", name="Créer l'événement").click()
    slug = Event.objects.get().slug
    organiser.get_by_label("Premier créneau").fill(f"{DAY:%Y-%m-%d}T09:00")
    organiser.get_by_label("Nombre de créneaux").fill("3")
    organiser.get_by_label("Durée d'un créneau (minutes)").fill("20")
    organiser.get_by_label("Tables").fill("2")
    organiser.get_by_role("button", name="Ajouter les créneaux").click()
    expect(organiser.get_by_text("09:00–09:20 (2 tables)")).to_be_visible()
    organiser.goto(f"/evenements/{slug}/")
    organiser.get_by_role("button", name="Publier l'événement").click()
    expect(organiser.locator("#event-phase")).to_have_text("Inscriptions ouvertes")
    organiser.goto(f"/evenements/{slug}/organisation/")

    pages = {}
    for email, company, offer, seek in PARTICIPANTS:
        pages[company] = open_page(email)
        register(pages[company], slug, company, offer, seek)
    organiser.reload()
    for _email, company, _offer, _seek in PARTICIPANTS:
        organiser.get_by_role("button", name=f"Valider {company}").click()
    assert Registration.objects.filter(status="approved").count() == 3

    pixel = pages["Atelier Pixel"]
    pixel.goto(f"/evenements/{slug}/rendez-vous/")
    expect(pixel.get_by_text(re.compile("Rempart Sécurité — Mots en commun"))).to_be_visible()
    card = pixel.locator("li.card", has_text="Rempart Sécurité")
    card.get_by_label("Priorité").select_option(label="Indispensable")
    card.get_by_role("button", name="Demander Rempart Sécurité").click()
    pixel.get_by_role("button", name="Demander Cidrerie du Bocage").click()
    cidrerie = pages["Cidrerie du Bocage"]
    cidrerie.goto(f"/evenements/{slug}/rendez-vous/")
    cidrerie.get_by_role("button", name="Demander Rempart Sécurité").click()
    for company in ("Rempart Sécurité", "Cidrerie du Bocage"):
        page = pages[company]
        page.goto(f"/evenements/{slug}/rendez-vous/")
        accept = page.get_by_role("button", name=re.compile("^Accepter"))
        while accept.count():
            accept.first.click()
            page.wait_for_load_state()
    assert Meeting.objects.count() == 0

    organiser.reload()
    expect(organiser.get_by_text("3 demandes acceptées à placer.")).to_be_visible()
    organiser.get_by_role("button", name="Calculer le planning").click()
    expect(organiser.locator("#run")).to_contain_text("Planning calculé", timeout=30_000)
    expect(organiser.locator("#run")).to_contain_text("total des priorités 7")
    # The run's last poll brought its schedule: no reload.
    rows = organiser.locator("#schedule tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Brouillon")
    expect(organiser.get_by_role("button", name="Publier 3 rendez-vous")).to_be_visible()
    assert serious_violations(organiser) == []

    # The three meetings share a participant two by two: one per slot. A move into
    # another meeting's slot is refused, with the rules it would break; a move to the
    # free table of the same slot is made.
    pixel_rempart = Meeting.objects.get(
        request__requester__company="Atelier Pixel", request__target__company="Rempart Sécurité"
    )
    pixel_cidrerie = Meeting.objects.get(request__target__company="Cidrerie du Bocage")
    organiser.goto(f"/evenements/{slug}/organisation/deplacer/{pixel_rempart.pk}/")
    organiser.get_by_label("Créneau").select_option(str(pixel_cidrerie.slot_id))
    organiser.get_by_label("Table").fill("3")
    organiser.get_by_role("button", name="Déplacer").click()
    alert = organiser.get_by_role("alert")
    expect(alert).to_contain_text("Déplacement refusé")
    expect(alert).to_contain_text("table 3 hors de 1…2")
    expect(alert).to_contain_text("Atelier Pixel : 2 rendez-vous en")
    organiser.get_by_label("Créneau").select_option(str(pixel_rempart.slot_id))
    organiser.get_by_label("Table").fill("2")
    organiser.get_by_role("button", name="Déplacer").click()
    expect(organiser.get_by_role("status").first).to_contain_text("Rendez-vous déplacé")
    pixel_rempart.refresh_from_db()
    assert pixel_rempart.table == 2

    organiser.goto(f"/evenements/{slug}/organisation/")
    organiser.get_by_role("button", name="Publier 3 rendez-vous").click()
    expect(organiser.get_by_role("status").first).to_contain_text("3 rendez-vous publiés")

    pixel.goto(f"/evenements/{slug}/rendez-vous/")
    with pixel.expect_download() as download:
        pixel.get_by_role("link", name="Télécharger mon agenda (.ics)").click()
    with open(download.value.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == [
        "Rendez-vous avec Cidrerie du Bocage — table 1",
        "Rendez-vous avec Rempart Sécurité — table 2",
    ]

    organiser.get_by_role("button", name="Arrivée de Atelier Pixel").click()
    assert Registration.objects.get(company="Atelier Pixel").checked_in_at is not None
    first_row = organiser.locator("#schedule tbody tr").first
    first_row.get_by_role("button", name=re.compile("^Absent : ")).first.click()
    # The organiser is offered a replacement: here everyone else is busy or met already.
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Remplacer un absent")
    expect(organiser.get_by_text("Personne n'est libre sur ce créneau.")).to_be_visible()
    organiser.get_by_role("link", name="Retour au planning").click()
    expect(organiser.locator("#schedule tbody tr").first).to_contain_text("Absent (")
    assert Meeting.objects.filter(state="no_show").count() == 1


def test_an_event_from_draft_to_closed_registrations(world, open_page):
    """A new organiser's trade show: a draft nobody else sees, published, applied to, edited
    with a reason, then closed to registration by its deadline alone."""
    agency = OrganisationFactory(
        slug="ad-normandie",
        name="AD Normandie",
        short_name="AD Normandie",
        kind=OrganisationKind.BUSINESS_ASSOCIATION,
    )
    member(agency, Role.ADVISER, email="export@adnormandie.test")
    organiser = open_page("export@adnormandie.test")
    organiser.goto("/evenements/")
    organiser.get_by_role("link", name="Créer un événement").click()
    organiser.get_by_label(re.compile("^Intitulé")).fill("Salon Industrie du futur")
    organiser.get_by_label(re.compile("^Type")).select_option(label="Salon (stand régional)")
    organiser.get_by_label(re.compile("^Organisateur")).select_option(label="AD Normandie")
    organiser.get_by_label(re.compile("^Début")).fill(f"{DAY:%Y-%m-%d}T09:00")
    organiser.get_by_label(re.compile("^Fin")).fill(f"{DAY + timedelta(days=2):%Y-%m-%d}T18:00")
    organiser.get_by_label(re.compile("^Lieu")).fill("Lyon, Eurexpo")
    organiser.get_by_label(re.compile("^Critères de sélection")).fill(
        "Une offre prête pour les industriels, une personne sur le stand les trois jours"
    )
    organiser.get_by_label(re.compile("^Clôture des inscriptions")).fill(
        f"{DAY - timedelta(days=10):%Y-%m-%d}"
    )
    organiser.get_by_role("button", name="Créer l'événement").click()
    expect(organiser.get_by_role("status").first).to_contain_text("créé en brouillon")
    slug = Event.objects.get().slug
    url = f"/evenements/{slug}/"

    pixel = open_page("lea@pixel.test")
    pixel.goto("/evenements/")
    expect(pixel.get_by_role("link", name="Salon Industrie du futur")).to_have_count(0)
    assert pixel.goto(url).status == 404

    organiser.goto(url)
    expect(organiser.locator("#event-phase")).to_have_text("Brouillon")
    organiser.get_by_role("button", name="Publier l'événement").click()
    expect(organiser.locator("#event-phase")).to_have_text("Inscriptions ouvertes")

    pixel.goto("/evenements/")
    pixel.get_by_role("link", name="Salon Industrie du futur").click()
    expect(pixel.get_by_text("une personne sur le stand les trois jours")).to_be_visible()
    pixel.get_by_label("Entreprise").fill("Atelier Pixel")
    pixel.get_by_label(re.compile("^Candidature")).fill("Présenter notre supervision d'usine")
    pixel.get_by_role("button", name="M'inscrire").click()
    expect(pixel.locator("#registration-status")).to_have_text("En attente de validation")

    # Another firm opens the form while registration is open…
    rempart = open_page("marc@rempart.test")
    rempart.goto(url)
    rempart.get_by_label("Entreprise").fill("Rempart Sécurité")
    rempart.get_by_label(re.compile("^Candidature")).fill("Sécuriser les usines")

    # …the organiser edits the published event, saying why…
    organiser.get_by_role("link", name="Modifier l'événement").click()
    organiser.get_by_label(re.compile("^Lieu")).fill("Lyon, Eurexpo — hall 4")
    organiser.get_by_role("button", name="Enregistrer les modifications").click()
    expect(organiser.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    organiser.get_by_label(re.compile("^Motif de la modification")).fill("Le hall a changé")
    organiser.get_by_role("button", name="Enregistrer les modifications").click()
    history = organiser.locator(".record-history")
    expect(history).to_contain_text("« Le hall a changé »")
    expect(history).to_contain_text("Lyon, Eurexpo — hall 4")
    assert serious_violations(organiser) == []

    # …and the deadline passes: nothing runs, the clock closes the registrations.
    Event.objects.filter(slug=slug).update(
        registration_closes_on=timezone.localdate() - timedelta(days=1)
    )
    rempart.get_by_role("button", name="M'inscrire").click()
    expect(rempart.get_by_role("status").first).to_contain_text("Les inscriptions sont closes.")
    expect(rempart.get_by_role("button", name="M'inscrire")).to_have_count(0)
    assert not Registration.objects.filter(company="Rempart Sécurité").exists()
    pixel.reload()
    expect(pixel.locator("#event-phase")).to_have_text("Inscriptions closes")
    organiser.goto("/evenements/")
    expect(
        organiser.get_by_role("row", name=re.compile("Salon Industrie du futur"))
    ).to_contain_text("Inscriptions closes")
