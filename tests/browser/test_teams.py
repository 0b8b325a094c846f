"""Teams in the browser, as new people join them: a newcomer signs up, claims a demo firm and
is granted by its admin; another is granted at once by the domain of their address and
invites a colleague who accepts; a partner's admin invites an adviser who then takes a
support need routed to the office."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, Organisation
from filiere.programme.demo import DEMO_PASSWORD
from filiere.support.enums import Subject, TradeRegister
from filiere.support.services import support_need_record
from tests.browser.test_accounts import NEW_PASSWORD, link_in_last_mail
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EstablishmentFactory,
    LegalUnitFactory,
)
from tests.worlds import matching_world

pytestmark = pytest.mark.browser


def path_in_last_mail(to: str) -> str:
    """The path of the last mail's link to an address (its host is the site's, not the test
    server's)."""
    return urlsplit(link_in_last_mail(to)).path


def sign_up(page, email: str, next_path: str = "") -> None:
    """A new person makes an account and verifies the address from the mail."""
    page.goto(f"/comptes/signup/{'?next=' + next_path if next_path else ''}")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Morel")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    page.goto(link_in_last_mail(email))
    page.get_by_role("button", name="Confirmer").click()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


@pytest.fixture
def demo_firm(scenario):
    """The demo firm whose admin is the demo account Léa Dumont (load_demo_data)."""
    unit = LegalUnitFactory(
        name="Atelier Pixel (démo)",
        organisation=Organisation.objects.get(slug=DEMO_COMPANY_SLUG),
        is_demo=True,
    )
    EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=CommuneFactory())
    return unit


def test_a_newcomer_claims_a_demo_firm_and_its_admin_grants_it(
    page, open_page, demo_firm, axe_violations
):
    sign_up(page, "hugo.petit@laposte.net")
    page.goto("/comptes/mon-compte/")
    page.get_by_role("link", name="Rejoindre mon entreprise").click()
    page.get_by_label("Votre entreprise").fill("atelier pixel")
    page.get_by_role("button", name="Chercher").click()
    assert axe_violations() == []
    found = page.locator("#found-firms li", has_text="Atelier Pixel (démo)")
    found.get_by_role("link", name="Demander à rejoindre").click()
    page.get_by_label("Message").fill("Développeur chez vous depuis mars.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    requests = page.locator("#my-join-requests")
    expect(requests).to_contain_text("En attente")
    expect(requests).to_contain_text("aux administrateur·rices de l'équipe")

    # The firm's admin is told by mail, and decides from the link.
    admin = open_page()
    sign_in(admin, "contact@atelier-pixel.demo.filiere.fr", DEMO_PASSWORD)
    admin.goto(path_in_last_mail("contact@atelier-pixel.demo.filiere.fr"))
    card = admin.locator("#join-requests li", has_text="hugo.petit@laposte.net")
    expect(card).to_contain_text("Développeur chez vous depuis mars.")
    card.get_by_role("button", name="Accepter").click()
    expect(admin.get_by_role("status")).to_contain_text("a rejoint l'équipe")

    page.reload()
    expect(page.locator("#my-teams")).to_contain_text("Atelier Pixel (démo)")
    page.goto(f"/annuaire/{demo_firm.siren}/")
    expect(page.get_by_role("link", name="Modifier le profil")).to_be_visible()
    assert Membership.objects.get(user__email="hugo.petit@laposte.net").role == (
        Role.COMPANY_MEMBER
    )


def test_an_address_at_the_firms_domain_joins_at_once_and_invites_a_colleague(
    page, open_page, transactional_db
):
    unit = LegalUnitFactory(name="Bocage Numérique", website="https://www.bocage-numerique.fr")
    EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=CommuneFactory())
    sign_up(page, "claire@bocage-numerique.fr")
    page.goto(f"/annuaire/{unit.siren}/")
    page.get_by_role("link", name="Rejoindre son équipe").click()
    expect(page.get_by_text("vous rejoindrez son équipe dès l'envoi")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("status")).to_contain_text("Vous faites maintenant partie")

    # The first member runs the team: she invites a colleague.
    page.goto("/comptes/mon-compte/")
    page.locator("#my-teams").get_by_role("link", name="Bocage Numérique").click()
    page.get_by_label("Adresse e-mail de la personne").fill("paul@bocage-numerique.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator("#open-invitations")).to_contain_text("paul@bocage-numerique.fr")

    colleague = open_page()
    invitation = path_in_last_mail("paul@bocage-numerique.fr")
    colleague.goto(invitation)
    colleague.get_by_role("link", name="Créer mon compte").click()
    sign_up(colleague, "paul@bocage-numerique.fr")
    colleague.goto(invitation)
    colleague.get_by_role("button", name="Rejoindre l'équipe").click()
    expect(colleague.locator("#team-members")).to_contain_text("paul@bocage-numerique.fr")
    page.reload()
    expect(page.locator("#team-members")).to_contain_text("paul@bocage-numerique.fr")
    expect(page.locator("#open-invitations")).to_have_count(0)


def test_a_partners_admin_invites_an_adviser_who_takes_a_routed_need(
    page, open_page, transactional_db
):
    world = matching_world()
    DepartementFactory(code="50", name="Manche")
    Membership.objects.filter(user=world.cci_manager).update(is_admin=True)
    sign_in(page, "direction@cci.test", "motdepasse-test")
    page.goto("/comptes/mon-compte/")
    page.locator("#my-teams").get_by_role("link", name="CCI Normandie").click()
    invite = page.get_by_role("region", name="Inviter un·e collègue")
    invite.get_by_label("Adresse e-mail de la personne").fill("nina@cci.test")
    invite.get_by_label("Rôle").select_option(label="Conseiller·ère")
    invite.get_by_label("14 — Département 14").check()
    invite.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator("#open-invitations")).to_contain_text("nina@cci.test")

    adviser = open_page()
    invitation = path_in_last_mail("nina@cci.test")
    sign_up(adviser, "nina@cci.test")
    adviser.goto(invitation)
    adviser.get_by_role("button", name="Rejoindre l'équipe").click()
    expect(adviser.get_by_role("status")).to_contain_text("Vous faites maintenant partie")

    need = support_need_record(
        unit=world.pixel,
        subject=Subject.FINANCE,
        description="Levée de fonds pour recruter",
        register=TradeRegister.TRADE,
        user=world.coordinator,
    )
    adviser.get_by_role("link", name="Accompagnement").click()
    adviser.get_by_role("link", name="Atelier Pixel").click()
    adviser.get_by_role("button", name="Je prends en charge").click()
    expect(adviser.get_by_role("heading", name="Historique").locator("..")).to_contain_text(
        "Pris en charge"
    )
    need.refresh_from_db()
    assert need.taken_by.email == "nina@cci.test"
