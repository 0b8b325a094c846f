"""Notifications people control: a frequency per category (at once, daily or weekly digest,
never), digests written by the periodic tasks from the held entries, transactional mails that
always go, HTML and text parts, the one-click unsubscription (RFC 8058)."""

import ast
import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from filiere.accounts import tasks
from filiere.accounts.enums import MailCategory, MailFrequency
from filiere.accounts.models import DigestEntry, EmailOptOut, NotificationPreference
from filiere.needs.models import Need
from tests.needs.test_needs import NEED, post_and_confirm

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2] / "filiere"


def choices(**chosen) -> dict[str, str]:
    """The preferences form: every category at once, but those given."""
    return {
        category.value: chosen.get(category.value, MailFrequency.IMMEDIATE)
        for category in MailCategory.chosen()
    }


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_new_needs_held_for_the_daily_digest_come_in_one_mail(client, world):
    client.force_login(world.cci_adviser)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Nouveaux besoins sur mon territoire" in page
    response = client.post(
        reverse("accounts:notifications"), choices(new_needs=MailFrequency.DAILY)
    )
    assert response.status_code == 302
    client.logout()

    for n, company in enumerate(["Cidrerie du Bocage", "Fromagerie Lecoq", "Biscuiterie Vire"]):
        post_and_confirm(client, company_name=company, contact_email=f"contact{n}@firm.test")
    assert to("conseil@cci.test") == []
    assert DigestEntry.objects.filter(to="conseil@cci.test").count() == 3
    assert Need.objects.count() == 3

    assert tasks.send_weekly_digests.delay().get() == 0
    assert tasks.send_daily_digests.delay().get() == 1
    [digest] = to("conseil@cci.test")
    assert digest.subject == "[Filière] Votre résumé quotidien"
    for company in ["Cidrerie du Bocage", "Fromagerie Lecoq", "Biscuiterie Vire"]:
        assert f"Nouveau besoin numérique : {company}" in digest.body
        assert company in html_of(digest)
    assert "Ne plus recevoir ces notifications" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not DigestEntry.objects.exists()
    # Run again, the digest has nothing more to say.
    assert tasks.send_daily_digests.delay().get() == 0
    assert len(to("conseil@cci.test")) == 1


def test_a_weekly_digest_is_the_weekly_tasks(client, world):
    NotificationPreference.objects.create(
        user=world.cci_adviser,
        category=MailCategory.NEW_NEEDS,
        frequency=MailFrequency.WEEKLY,
    )
    post_and_confirm(client)
    assert tasks.send_daily_digests.delay().get() == 0
    assert tasks.send_weekly_digests.delay().get() == 1
    assert to("conseil@cci.test")[0].subject == "[Filière] Votre résumé hebdomadaire"


def test_an_address_that_unsubscribed_meanwhile_gets_no_digest(client, world):
    NotificationPreference.objects.create(
        user=world.cci_adviser, category=MailCategory.NEW_NEEDS, frequency=MailFrequency.DAILY
    )
    post_and_confirm(client)
    EmailOptOut.objects.create(email="conseil@cci.test")
    assert tasks.send_daily_digests.delay().get() == 0
    assert to("conseil@cci.test") == []
    assert not DigestEntry.objects.exists()


def test_transactional_mails_go_when_everything_is_never(client, world):
    client.force_login(world.cci_adviser)
    never = {category.value: MailFrequency.NEVER for category in MailCategory.chosen()}
    assert client.post(reverse("accounts:notifications"), never).status_code == 302
    client.logout()

    post_and_confirm(client)
    assert to("conseil@cci.test") == []
    assert not DigestEntry.objects.exists()

    client.post(reverse("account_reset_password"), {"email": "conseil@cci.test"})
    [reset] = to("conseil@cci.test")
    assert "mot de passe" in reset.body.lower()
    assert "<html" in html_of(reset)
    assert "List-Unsubscribe" not in reset.extra_headers


def test_a_notification_has_its_text_and_html_parts_and_one_click_unsubscribe(client, world):
    post_and_confirm(client, text=NEED["text"] + " <b>vite</b>")
    [notification] = to("conseil@cci.test")
    html = html_of(notification)
    unsubscribe = notification.extra_headers["List-Unsubscribe"].strip("<>")
    assert notification.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in notification.body
    assert f'href="{unsubscribe}"' in html
    assert 'lang="fr"' in html
    assert "Cidrerie du Bocage" in html
    # The need's text is the poster's: escaped in the HTML part.
    assert "&lt;b&gt;vite&lt;/b&gt;" in html

    # A mail client's one-click unsubscription: a bare POST, no CSRF token, no cookie.
    path = re.sub(r"^https?://[^/]+", "", unsubscribe)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(email="conseil@cci.test").exists()


def test_a_transactional_mail_has_no_unsubscribe(client, world):
    client.post("/besoins/deposer/", NEED)
    [confirmation] = to("jeanne@cidrerie.test")
    assert "List-Unsubscribe" not in confirmation.extra_headers
    assert "Ne plus recevoir" not in confirmation.body
    assert "démarche" in html_of(confirmation)


def test_the_preferences_form_refuses_an_unknown_choice(client, world):
    client.force_login(world.cci_adviser)
    response = client.post(reverse("accounts:notifications"), choices(new_needs="sometimes"))
    assert response.status_code == 422
    assert not NotificationPreference.objects.exists()
    client.post(reverse("accounts:notifications"), choices(events=MailFrequency.NEVER))
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert re.search(r'<option value="never" selected>', page)


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in {"send_on_commit", "send_mail_to"}:
                yield node


def test_every_mail_of_the_platform_says_its_category():
    """Each mail is classified: a category people choose for, or transactional."""
    calls = [
        (path, node)
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts and path.name != "notifications.py"
        for node in _calls(ast.parse(path.read_text()))
    ]
    assert len(calls) > 20
    missing = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, node in calls
        if "category" not in {keyword.arg for keyword in node.keywords}
    ]
    assert missing == []


def test_the_command_writes_the_digests_as_the_task_does(client, world, run_command):
    NotificationPreference.objects.create(
        user=world.cci_adviser, category=MailCategory.NEW_NEEDS, frequency=MailFrequency.WEEKLY
    )
    post_and_confirm(client)
    out, _err = run_command("send_digests", frequency="daily")
    assert "résumés écrits: 0" in out
    out, _err = run_command("send_digests", frequency="weekly")
    assert "résumés écrits: 1" in out
    assert len(to("conseil@cci.test")) == 1
    out, _err = run_command("send_digests", frequency="weekly")
    assert "résumés écrits: 0" in out
