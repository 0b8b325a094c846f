"""The case file in the browser, on the demo: a CCI adviser opens the demo firm's case file
from its directory page and finds its need, support, event, project and hosting in one
timeline; writes a note for the CCI alone and one for every partner (the CMA's adviser reads
the second only); sets reminders, finds today's on the home page and in the mail of its day,
and marks it done. Reminders are dated from the day the test runs: the page, the home and the
daily mail all read the day from the clock, and the command is given tomorrow."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation
from filiere.programme.demo import DEMO_PASSWORD
from tests.browser.conftest import serious_violations
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory

pytestmark = pytest.mark.browser

CCI_ADVISER = "conseil@cci.demo.filiere.fr"
CMA_ADVISER = "conseil@cma.demo.filiere.fr"


@pytest.fixture
def demo_firm(scenario):
    """The demo firm's directory entry (the demo register gives it), and its case file."""
    unit = LegalUnitFactory(
        name="Atelier Pixel (démo)",
        organisation=Organisation.objects.get(slug=DEMO_COMPANY_SLUG),
        is_demo=True,
    )
    EstablishmentFactory(
        legal_unit=unit, siret=f"{unit.siren}00017", is_head_office=True, commune=CommuneFactory()
    )
    call_command("load_demo_casefile", stdout=StringIO())
    return unit


@pytest.fixture
def signed_in(chromium, live_server):
    contexts = []

    def open_as(email: str):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/comptes/login/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def add_note(page, text: str, audience: str):
    form = page.locator("#notes")
    form.get_by_label("Note").fill(text)
    form.get_by_label("Visible par").select_option(label=audience)
    form.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_role("status")).to_contain_text("Note ajoutée au dossier")


def add_reminder(page, day, text: str):
    form = page.locator("#reminders")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("Rappel").fill(text)
    form.get_by_role("button", name="Ajouter le rappel").click()
    expect(page.get_by_role("status")).to_contain_text("Rappel enregistré")


def test_an_adviser_follows_the_demo_firm_from_its_case_file(demo_firm, signed_in):
    today = timezone.localdate()
    adviser = signed_in(CCI_ADVISER)
    adviser.goto(f"/annuaire/{demo_firm.siren}/")
    adviser.get_by_role("link", name="Dossier de l'entreprise").click()
    timeline = adviser.locator("#timeline")
    for text in (
        "Besoin de digitalisation : Site web, e-commerce",
        "Accompagnement : Export, international",
        "Rendez-vous d'affaires du",
        "Rendez-vous avec Boulangerie du Port (démo)",
        "Projet : Vitrine connectée Atelier Pixel (démo)",
        "Financement de Vitrine connectée",
        "Hébergée à Résidence Tourisme Up (dossiers)",
        "Camille Martin",
        "Entreprise suivie par plusieurs partenaires",
    ):
        expect(timeline).to_contain_text(text)
    assert serious_violations(adviser) == []

    # Filtered to the hostings alone.
    adviser.get_by_label("Hébergements").check()
    adviser.get_by_role("button", name="Filtrer").click()
    expect(timeline).to_contain_text("Hébergée à")
    expect(timeline).not_to_contain_text("Accompagnement")
    adviser.get_by_label("Hébergements").uncheck()
    adviser.get_by_role("button", name="Filtrer").click()

    add_note(
        adviser,
        "La gérante préfère être appelée le matin.",
        "Chambres de commerce et d'industrie de Normandie seulement",
    )
    add_note(adviser, "Candidate au salon VivaTech 2019.", "Tous les partenaires du contrat")
    expect(timeline).to_contain_text("La gérante préfère être appelée le matin.")
    add_reminder(adviser, today, "Rappeler la gérante pour le salon")
    add_reminder(adviser, today + timedelta(days=1), "Relancer le devis")

    # Another office's adviser reads the note for every partner, not the CCI's.
    other = signed_in(CMA_ADVISER)
    other.goto(f"/dossiers/{demo_firm.siren}/")
    expect(other.locator("#timeline")).to_contain_text("Candidate au salon VivaTech 2019.")
    expect(other.locator("#timeline")).not_to_contain_text("La gérante préfère")
    expect(other.locator("#reminders")).not_to_contain_text("Rappeler la gérante")

    # Today's reminder is on the adviser's home, tomorrow's is not yet.
    adviser.goto("/")
    reminders = adviser.locator("#due-reminders")
    expect(reminders).to_contain_text("Rappeler la gérante pour le salon")
    expect(reminders).not_to_contain_text("Relancer le devis")

    # The daily mail: today's reminder, then tomorrow's on its day.
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    (message,) = mail.outbox
    assert message.to == [CCI_ADVISER]
    assert "Atelier Pixel (démo)" in message.subject
    assert "Rappeler la gérante pour le salon" in message.body
    assert f"/dossiers/{demo_firm.siren}/" in message.body
    tomorrow = (timezone.localtime() + timedelta(days=1)).isoformat()
    call_command("send_reminders", now=tomorrow, stdout=StringIO())
    assert "Relancer le devis" in mail.outbox[-1].body
    assert len(mail.outbox) == 2

    # Done from the case file: it leaves the home page.
    reminders.get_by_role("link", name="Atelier Pixel (démo)").click()
    adviser.locator("#reminders li", has_text="Rappeler la gérante").get_by_role(
        "button", name="Fait"
    ).click()
    expect(adviser.get_by_role("status")).to_contain_text("Rappel fait")
    adviser.goto("/")
    expect(adviser.locator("#due-reminders")).to_have_count(0)
