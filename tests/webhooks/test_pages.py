"""The webhooks' pages: only the organisation's admins (and the platform's) run them; the
secret is shown once; an endpoint switched off says why and is switched on again; the
deliveries' list costs the same queries however long it is."""

import pytest
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.webhooks import services
from filiere.webhooks.enums import WebhookEvent
from filiere.webhooks.models import Endpoint
from tests.factories import OrganisationFactory, member
from tests.test_fuzz import HOSTILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(partner, receiver):
    organisation, admin = partner
    return services.endpoint_create(
        user=admin,
        organisation=organisation,
        url=receiver.url,
        events=[WebhookEvent.NEED_RECEIVED, WebhookEvent.NEED_TAKEN],
    )


def pages(organisation, endpoint=None) -> list[str]:
    urls = [reverse("webhooks:endpoints", args=[organisation.slug])]
    if endpoint:
        urls.append(reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk]))
    return urls


def test_the_team_page_leads_its_admins_to_the_webhooks(client, partner):
    organisation, admin = partner
    colleague = member(organisation, Role.COMPANY_MEMBER)
    team = reverse("accounts:team", args=[organisation.slug])
    link = reverse("webhooks:endpoints", args=[organisation.slug])
    client.force_login(admin)
    assert link in client.get(team).text
    client.force_login(colleague)
    assert link not in client.get(team).text


def test_only_the_organisations_admins_run_its_webhooks(client, partner, endpoint):
    organisation, admin = partner
    colleague = member(organisation, Role.COMPANY_MEMBER)
    other = OrganisationFactory()
    other_admin = member(other, Role.COMPANY_MEMBER)
    other_admin.memberships.update(is_admin=True)
    for url in pages(organisation, endpoint):
        client.logout()
        assert client.get(url).status_code == 302  # to the sign-in
        for user, status in ((colleague, 403), (other_admin, 403), (admin, 200)):
            client.force_login(user)
            assert client.get(url).status_code == status, (url, user)
    # Another organisation's endpoint, under its admin's own organisation: not found.
    client.force_login(other_admin)
    assert client.get(reverse("webhooks:endpoint", args=[other.slug, endpoint.pk])).status_code == (
        404
    )
    test = reverse("webhooks:test", args=[organisation.slug, endpoint.pk])
    assert client.post(test).status_code == 403


def test_an_endpoint_is_registered_and_its_secret_shown_once(client, partner, receiver):
    organisation, admin = partner
    client.force_login(admin)
    url = reverse("webhooks:endpoints", args=[organisation.slug])
    answer = client.post(url, {"url": receiver.url, "events": ["need.received", "need.closed"]})
    assert answer.status_code == 200
    endpoint = Endpoint.objects.get()
    assert (endpoint.url, endpoint.events) == (receiver.url, ["need.received", "need.closed"])
    assert endpoint.secret in answer.text
    assert "no-store" in answer["Cache-Control"]
    page = client.get(reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk]))
    assert endpoint.secret not in page.text
    assert endpoint.secret not in client.get(url).text

    renewed = client.post(reverse("webhooks:secret", args=[organisation.slug, endpoint.pk]))
    old = endpoint.secret
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in renewed.text


def test_a_refused_address_is_said_on_its_field_and_nothing_saved(client, partner, settings):
    settings.FILIERE_WEBHOOK_ALLOW_PRIVATE = False
    organisation, admin = partner
    client.force_login(admin)
    url = reverse("webhooks:endpoints", args=[organisation.slug])
    answer = client.post(url, {"url": "https://127.0.0.1/hook", "events": ["need.received"]})
    assert answer.status_code == 422
    assert "réseau privé" in answer.context["form"].errors["url"][0]
    answer = client.post(url, {"url": "pas une adresse", "events": ["ping"]})
    assert answer.status_code == 422
    assert set(answer.context["form"].errors) == {"url", "events"}
    assert not Endpoint.objects.exists()


def test_an_endpoint_switched_off_says_why_and_is_switched_on_again(
    client, partner, endpoint, receiver, settings
):
    settings.FILIERE_WEBHOOK_FAILURES = 1
    organisation, admin = partner
    receiver.answers = [500] * services.ATTEMPTS
    services.emit(WebhookEvent.NEED_RECEIVED, {"need": {"id": 1}}, organisations=[organisation])
    client.force_login(admin)
    page_url = reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk])
    page = client.get(page_url)
    assert "Désactivée automatiquement" in page.text
    assert "HTTP 500" in page.text
    assert "Internal error, try later" in page.text  # the answer's excerpt, in the deliveries

    client.post(reverse("webhooks:switch", args=[organisation.slug, endpoint.pk]), {"on": "1"})
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures) == (True, 0)
    assert "Désactivée automatiquement" not in client.get(page_url).text


def test_an_endpoint_is_changed_tested_and_deleted(client, partner, endpoint, receiver):
    organisation, admin = partner
    client.force_login(admin)
    page_url = reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk])
    answer = client.post(page_url, {"url": receiver.url + "/v2", "events": ["need.closed"]})
    assert answer.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == (receiver.url + "/v2", ["need.closed"])
    client.post(reverse("webhooks:test", args=[organisation.slug, endpoint.pk]))
    assert receiver.events() == ["ping"]
    assert receiver.received[0].path == "/hooks/filiere/v2"
    client.post(reverse("webhooks:delete", args=[organisation.slug, endpoint.pk]))
    assert not Endpoint.objects.exists()


def test_the_pages_cost_the_same_queries_however_many_deliveries(
    client, partner, endpoint, receiver, django_assert_num_queries
):
    organisation, admin = partner
    client.force_login(admin)
    urls = pages(organisation, endpoint)
    services.emit(WebhookEvent.NEED_RECEIVED, {"need": {"id": 1}}, organisations=[organisation])
    client.get(urls[1])  # the session and the user's memberships, read once

    def counts() -> list[int]:
        found = []
        for url in urls:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    one = counts()
    receiver.answers = [500]
    for _ in range(4):
        services.emit(WebhookEvent.NEED_TAKEN, {"need": {"id": 1}}, organisations=[organisation])
    services.endpoint_create(
        user=admin, organisation=organisation, url=receiver.url, events=["need.closed"]
    )
    assert counts() == one


def test_hostile_values_cost_a_4xx_never_a_500(client, partner, endpoint):
    organisation, admin = partner
    client.force_login(admin)
    forms = [
        reverse("webhooks:endpoints", args=[organisation.slug]),
        reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk]),
    ]
    values = HOSTILE + [f"https://{value}/" for value in HOSTILE] + ["https://[::1/"]
    for url in forms:
        for value in values:
            answer = client.post(url, {"url": value, "events": [value, "need.closed"]})
            assert answer.status_code < 500, (url, value)
    switch = reverse("webhooks:switch", args=[organisation.slug, endpoint.pk])
    for value in HOSTILE:
        assert client.post(switch, {"on": value}).status_code == 302
    missing = reverse("webhooks:endpoint", args=[organisation.slug, 10**12])
    assert client.get(missing).status_code == 404
