"""People's accounts in the browser, as a new person makes one: sign up and verify the address
from the mail, reset a forgotten password from the mail, sign in with ProConnect against a
real OpenID provider on loopback."""

import re

import pytest
import requests
from allauth.account.models import EmailAddress
from django.core import mail
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from filiere.accounts.models import User
from filiere.accounts.proconnect import config as proconnect
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Bocage-et-pommiers-2026"


def link_in_last_mail(to: str) -> str:
    """The link of the last mail sent to an address, as its reader would follow it."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"https?://\S+", message.body).group(0)


def test_a_new_person_signs_up_and_verifies_the_address_from_the_mail(
    page, transactional_db, axe_violations
):
    page.goto("/comptes/login/")
    page.get_by_role("link", name="Créer un compte").last.click()
    assert axe_violations() == []
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Morel")
    page.get_by_label("Adresse e-mail").fill("lea.morel@atelier-bocage.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    # Not signed in before the address is verified.
    page.goto("/comptes/mon-compte/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()

    page.goto(link_in_last_mail("lea.morel@atelier-bocage.fr"))
    page.get_by_role("button", name="Confirmer").click()
    page.goto("/comptes/mon-compte/")
    expect(page.get_by_text("lea.morel@atelier-bocage.fr").first).to_be_visible()
    assert EmailAddress.objects.get(email="lea.morel@atelier-bocage.fr").verified


def test_the_verification_link_is_single_use(page, transactional_db):
    page.goto("/comptes/signup/")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Morel")
    page.get_by_label("Adresse e-mail").fill("unique@atelier-bocage.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    link = link_in_last_mail("unique@atelier-bocage.fr")
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.goto(link)
    expect(page.get_by_text("a expiré ou n'est pas valide")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_mail(page, transactional_db, axe_violations):
    UserFactory(email="oubli@atelier-bocage.fr")
    page.goto("/comptes/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    assert axe_violations() == []
    page.get_by_label("Adresse e-mail").fill("oubli@atelier-bocage.fr")
    page.get_by_role("button", name="Réinitialiser mon mot de passe").click()
    expect(page.get_by_role("heading", name="Réinitialisation du mot de passe")).to_be_visible()

    page.goto(link_in_last_mail("oubli@atelier-bocage.fr"))
    page.get_by_label(re.compile(r"^Nouveau mot de passe\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("Nouveau mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Modifier le mot de passe").click()
    expect(page.get_by_text("Votre mot de passe a été modifié")).to_be_visible()

    page.goto("/comptes/login/")
    page.get_by_label("Adresse e-mail").fill("oubli@atelier-bocage.fr")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


@pytest.fixture
def provider(settings):
    """A real OpenID Connect provider on loopback, set up as ProConnect would be."""
    with run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        settings.SOCIALACCOUNT_PROVIDERS = proconnect.providers(
            issuer=issuer, client_id="filiere-test", secret="secret-de-test"
        )
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {**policy["DIRECTIVES"], "form-action": ["'self'", issuer]}
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}

        def person(email: str, **claims) -> None:
            """The identity the provider vouches for, under the subject ``email``."""
            response = requests.put(
                f"{issuer}/users/{email}", json={"email": email, **claims}, timeout=5
            )
            response.raise_for_status()

        yield person


def proconnect_sign_in(page, email: str) -> None:
    page.goto("/comptes/login/")
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/$"))


def test_proconnect_creates_an_account(page, transactional_db, provider):
    provider("agent@normandie.fr", given_name="Camille", usual_name="Lefèvre")
    proconnect_sign_in(page, "agent@normandie.fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    user = User.objects.get(email="agent@normandie.fr")
    assert user.last_name == "Lefèvre"
    assert EmailAddress.objects.get(user=user).verified
    assert user.socialaccount_set.get().provider == "proconnect"


def test_proconnect_links_an_existing_account_by_its_address(page, transactional_db, provider):
    existing = UserFactory(email="conseiller@cci-normandie.fr")
    provider("conseiller@cci-normandie.fr", given_name="Noé", usual_name="Duval")
    proconnect_sign_in(page, "conseiller@cci-normandie.fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert User.objects.filter(email__iexact="conseiller@cci-normandie.fr").count() == 1
    assert existing.socialaccount_set.get().provider == "proconnect"


def test_without_its_settings_the_proconnect_button_is_not_shown(page, transactional_db):
    page.goto("/comptes/login/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    expect(page.get_by_role("button", name="S'identifier avec ProConnect")).to_have_count(0)
