"""Abuse limits over HTTP: wrong passwords lock an account and an address, the public forms
are rate-limited and carry a honeypot, and no answer says whether an address has an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from filiere.accounts.models import User
from filiere.needs.models import Need
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test"
NEW_PASSWORD = "Bocage-et-pommiers-2026"


def sign_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_eleventh_wrong_password_in_a_row_locks_the_account(client):
    UserFactory(email="claire@atelier-bocage.fr")
    for _ in range(10):
        response = sign_in(client, "claire@atelier-bocage.fr", "pas-le-bon")
        assert response.status_code == 200
        assert "ou le mot de passe sont incorrects" in response.content.decode()
    response = sign_in(client, "claire@atelier-bocage.fr", "pas-le-bon")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion bloquée" in page
    assert "60 minutes" in page
    assert reverse("account_reset_password") in page
    # Locked: even the right password is refused, from anywhere.
    other_place = client_from("192.0.2.7")
    assert sign_in(other_place, "claire@atelier-bocage.fr", PASSWORD).status_code == 429


def test_a_right_password_resets_the_count(client):
    UserFactory(email="claire@atelier-bocage.fr")
    for _ in range(10):
        sign_in(client, "claire@atelier-bocage.fr", "pas-le-bon")
    assert sign_in(client, "claire@atelier-bocage.fr", PASSWORD).status_code == 302
    client.logout()
    for _ in range(10):
        assert sign_in(client, "claire@atelier-bocage.fr", "pas-le-bon").status_code == 200


def client_from(address: str):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_wrong_passwords_from_one_address_lock_the_address():
    robot = client_from("198.51.100.9")
    for n in range(10):
        assert sign_in(robot, f"essai{n}@exemple.fr", "pas-le-bon").status_code == 200
    assert sign_in(robot, "essai10@exemple.fr", "pas-le-bon").status_code == 429
    # Another address is not concerned.
    UserFactory(email="claire@atelier-bocage.fr")
    elsewhere = client_from("192.0.2.7")
    assert sign_in(elsewhere, "claire@atelier-bocage.fr", PASSWORD).status_code == 302


def test_a_password_reset_from_the_mail_lifts_the_lockout(client):
    UserFactory(email="claire@atelier-bocage.fr")
    for _ in range(11):
        sign_in(client, "claire@atelier-bocage.fr", "pas-le-bon")
    assert sign_in(client, "claire@atelier-bocage.fr", PASSWORD).status_code == 429

    client.post(reverse("account_reset_password"), {"email": "claire@atelier-bocage.fr"})
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert sign_in(client, "claire@atelier-bocage.fr", NEW_PASSWORD).status_code == 302


def answer(response) -> tuple:
    """What a visitor can see of an answer: its status, where it leads, and that page."""
    return response.status_code, response.redirect_chain, response.content


def test_the_reset_answer_is_the_same_for_known_and_unknown_addresses():
    UserFactory(email="connue@atelier-bocage.fr")
    known = client_from("192.0.2.1").post(
        reverse("account_reset_password"), {"email": "connue@atelier-bocage.fr"}, follow=True
    )
    unknown = client_from("192.0.2.2").post(
        reverse("account_reset_password"), {"email": "inconnue@atelier-bocage.fr"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain != []
    assert known.status_code == unknown.status_code == 200
    assert strip_tokens(known.content) == strip_tokens(unknown.content)
    # Each address is told by mail what it can do: reset, or sign up.
    assert [m.to for m in mail.outbox] == [
        ["connue@atelier-bocage.fr"],
        ["inconnue@atelier-bocage.fr"],
    ]


def test_the_sign_up_answer_is_the_same_for_known_and_unknown_addresses():
    UserFactory(email="connue@atelier-bocage.fr")
    answers = []
    for n, email in enumerate(["connue@atelier-bocage.fr", "nouvelle@atelier-bocage.fr"]):
        response = client_from(f"192.0.2.{n + 1}").post(
            reverse("account_signup"),
            {
                "first_name": "Jo",
                "last_name": "Lenoir",
                "email": email,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            follow=True,
        )
        answers.append((response.status_code, response.redirect_chain))
        # The page repeats the address typed, whichever it is.
        answers.append(strip_tokens(response.content).replace(email.encode(), b"ADDRESS"))
    assert answers[0] == answers[2]
    assert answers[1] == answers[3]
    assert User.objects.filter(email__iexact="connue@atelier-bocage.fr").count() == 1
    # The owner of the known address is told someone tried; the new one gets its link.
    assert [m.to for m in mail.outbox] == [
        ["connue@atelier-bocage.fr"],
        ["nouvelle@atelier-bocage.fr"],
    ]


def strip_tokens(content: bytes) -> bytes:
    """A page without its per-request tokens (CSRF, one-time form tokens)."""
    return re.sub(rb"(csrfmiddlewaretoken|X-CSRFToken|form_token)[^>]*", b"", content)


def test_sign_up_is_rate_limited_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    robot = client_from("198.51.100.9")
    for n in range(3):
        data = {
            "first_name": "Jo",
            "last_name": "Lenoir",
            "email": f"r{n}@exemple.fr",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        }
        assert robot.post(reverse("account_signup"), data).status_code == 302
    data = {
        "first_name": "Jo",
        "last_name": "Lenoir",
        "email": "r3@exemple.fr",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = robot.post(reverse("account_signup"), data)
    assert response.status_code == 429
    assert "Trop d'envois" in response.content.decode()
    assert not User.objects.filter(email="r3@exemple.fr").exists()


def test_password_reset_is_rate_limited_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/h/ip"}
    robot = client_from("198.51.100.9")
    for n in range(2):
        robot.post(reverse("account_reset_password"), {"email": f"r{n}@exemple.fr"})
    response = robot.post(reverse("account_reset_password"), {"email": "r2@exemple.fr"})
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_the_need_form_is_rate_limited_per_address(settings):
    settings.FILIERE_LIMIT_NEED_FORM = "2/h"
    robot = client_from("198.51.100.9")
    for _ in range(2):
        assert robot.post(reverse("needs:post"), {}).status_code == 422
    response = robot.post(reverse("needs:post"), {})
    assert response.status_code == 429
    assert "Trop d'envois" in response.content.decode()
    # The page itself still opens, and other addresses still send.
    assert robot.get(reverse("needs:post")).status_code == 200
    assert client_from("192.0.2.7").post(reverse("needs:post"), {}).status_code == 422


def test_a_filled_honeypot_refuses_the_sign_up(client):
    data = {
        "first_name": "Jo",
        "last_name": "Lenoir",
        "email": "robot@exemple.fr",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = client.post(reverse("account_signup"), {**data, "site_web": "http://spam.test"})
    assert "Envoi refusé" in response.content.decode()
    assert not User.objects.filter(email="robot@exemple.fr").exists()
    assert mail.outbox == []


def test_a_filled_honeypot_refuses_the_password_reset(client):
    UserFactory(email="claire@atelier-bocage.fr")
    data = {"email": "claire@atelier-bocage.fr", "site_web": "http://spam.test"}
    response = client.post(reverse("account_reset_password"), data)
    assert "Envoi refusé" in response.content.decode()
    assert mail.outbox == []


def test_a_filled_honeypot_refuses_the_need_form(client, normandy_contract):
    page = client.get(reverse("needs:post")).content.decode()
    assert 'name="site_web"' in page
    data = {
        "text": "Un site de vente en ligne pour nos cidres",
        "domain": "web",
        "place": "Caen (14118)",
        "company_name": "Cidrerie",
        "contact_name": "Léa",
        "contact_email": "lea@cidrerie.fr",
        "consent": "on",
        "site_web": "http://spam.example",
    }
    response = client.post(reverse("needs:post"), data)
    assert response.status_code == 422
    assert "Envoi refusé" in response.content.decode()
    assert not Need.objects.exists()
