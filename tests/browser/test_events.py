import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.events.models import Event, Meeting, Registration
from tests.browser.conftest import serious_violations
from tests.factories import OrganisationFactory, member
from tests.worlds import matching_world

pytestmark = pytest.mark.browser


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
    organiser.get_by_label(re.compile("^Début")).fill("2026-12-10T09:00")
    organiser.get_by_label(re.compile("^Fin")).fill("2026-12-10T12:00")
    organiser.get_by_label(re.compile("^Lieu")).fill("CCI Caen Normandie")
    organiser.get_by_role("button", name="Créer l'événement").click()
    slug = Event.objects.get().slug
    organiser.get_by_label("Premier créneau").fill("2026-12-10T09:00")
    organiser.get_by_label("Nombre de créneaux").fill("3")
    organiser.get_by_label("Durée d'un créneau (minutes)").fill("20")
    organiser.get_by_label("Tables").fill("2")
    organiser.get_by_role("button", name="Ajouter les créneaux").click()
    expect(organiser.get_by_text("09:00–09:20 (2 tables)")).to_be_visible()

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
    organiser.get_by_role("link", name="Voir le planning").click()
    rows = organiser.locator("#schedule tbody tr")
    expect(rows).to_have_count(3)
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
