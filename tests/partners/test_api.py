"""Partners write through the API with their organisation's key: scopes, idempotency, revoked
keys, the rate limit, the call log."""

import json

import pytest
from django.core import mail

from filiere.needs.enums import NeedStatus
from filiere.needs.models import Need
from filiere.partners.enums import Scope
from filiere.partners.models import ApiCall
from filiere.partners.services import key_revoke
from tests.partners.conftest import bearer

NEED = {
    "text": "Nous voulons vendre nos cidres en ligne : une boutique avec paiement",
    "domain": "web",
    "budget": "5k_20k",
    "commune": "14118",
    "company_name": "Cidrerie du Bocage",
    "is_creator": True,
    "contact_name": "Jeanne Lemoine",
    "contact_email": "jeanne@cidrerie.test",
    "campaign": "salon-2018",
}


def post_need(client, created, body=None, **headers):
    return client.post(
        "/api/needs/",
        json.dumps(body or NEED),
        content_type="application/json",
        **bearer(created),
        **headers,
    )


def test_a_partners_key_posts_a_need_routed_and_seen_by_the_advisers_with_its_campaign(
    client, world, make_key
):
    created = make_key(Scope.NEEDS_WRITE)
    response = post_need(client, created)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["campaign"], body["departement_code"]) == (
        "new",
        "salon-2018",
        "14",
    )
    need = Need.objects.get()
    # Trusted: no confirmation asked, routed and matched as a confirmed need.
    assert need.status == NeedStatus.NEW
    assert need.matches.filter(legal_unit=world.pixel).exists()
    business = [m for m in mail.outbox if m.to == ["jeanne@cidrerie.test"]]
    assert [m.subject.endswith("Votre besoin numérique est transmis") for m in business] == [True]
    assert f"/besoins/suivi/{need.token}/" in business[0].body
    assert any("conseil@cci.test" in m.to for m in mail.outbox)

    client.force_login(world.cci_adviser)
    page = client.get("/besoins/conseil/", {"campaign": "salon-2018"}).content.decode()
    assert "Cidrerie du Bocage" in page
    assert "salon-2018" in page
    assert (
        "Cidrerie du Bocage"
        not in client.get("/besoins/conseil/", {"campaign": "autre-salon"}).content.decode()
    )
    export = client.get("/besoins/conseil/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "campagne" in export.splitlines()[0]
    assert "salon-2018" in export


def test_a_key_without_the_scope_is_refused_naming_it(client, world, make_key):
    created = make_key(Scope.READ, Scope.SUPPORT_READ)
    response = post_need(client, created)
    assert response.status_code == 403
    assert response.json()["scope"] == "needs:write"
    assert "needs:write" in response.json()["detail"]
    assert not Need.objects.exists()


def test_the_same_idempotency_key_creates_one_need_and_answers_the_same(client, world, make_key):
    created = make_key(Scope.NEEDS_WRITE)
    first = post_need(client, created, HTTP_IDEMPOTENCY_KEY="commande-42")
    again = post_need(client, created, HTTP_IDEMPOTENCY_KEY="commande-42")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Need.objects.count() == 1

    other = post_need(
        client, created, {**NEED, "company_name": "Autre"}, HTTP_IDEMPOTENCY_KEY="commande-42"
    )
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert Need.objects.count() == 1
    # Another key of the same organisation has its own idempotency keys.
    again_elsewhere = post_need(
        client, make_key(Scope.NEEDS_WRITE), HTTP_IDEMPOTENCY_KEY="commande-42"
    )
    assert again_elsewhere.status_code == 201
    assert Need.objects.count() == 2


def test_a_refused_post_frees_its_idempotency_key(client, world, make_key):
    created = make_key(Scope.NEEDS_WRITE)
    wrong = post_need(client, created, {**NEED, "commune": "99999"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "commune"
    assert post_need(client, created, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201


def test_errors_are_located_by_field(client, world, make_key):
    created = make_key(Scope.NEEDS_WRITE)
    response = post_need(
        client, created, {**NEED, "campaign": "Salon 2018", "contact_email": "pas-une-adresse"}
    )
    assert response.status_code == 422
    located = {tuple(error["loc"][-1:]) for error in response.json()["detail"]}
    assert located == {("campaign",), ("contact_email",)}
    response = post_need(client, created, {**NEED, "is_creator": False})
    assert (response.status_code, response.json()["field"]) == (422, "siret")
    assert not Need.objects.exists()


def test_a_revoked_or_unknown_key_is_refused(client, world, make_key):
    created = make_key(Scope.NEEDS_WRITE)
    key_revoke(user=world.cci_adviser, key=created.key)
    response = post_need(client, created)
    assert response.status_code == 401
    assert "révoquée" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"
    forged = type(created)(key=created.key, token=created.token[:-4] + "abcd")
    assert post_need(client, forged).status_code == 401
    assert not Need.objects.exists()


def test_a_key_stops_with_its_creator_leaving_the_organisation(client, world, make_key):
    created = make_key(Scope.READ)
    assert client.get("/api/contracts/", **bearer(created)).status_code == 200
    world.cci_adviser.memberships.update(is_active=False)
    assert client.get("/api/contracts/", **bearer(created)).status_code == 401


def test_the_rate_limit_answers_429_with_retry_after(client, world, make_key, settings):
    settings.FILIERE_LIMIT_API_KEY = "2/m"
    created = make_key(Scope.READ)
    assert client.get("/api/contracts/", **bearer(created)).status_code == 200
    assert client.get("/api/contracts/", **bearer(created)).status_code == 200
    refused = client.get("/api/contracts/", **bearer(created))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another key has its own count.
    assert client.get("/api/contracts/", **bearer(make_key(Scope.READ))).status_code == 200


def test_every_call_is_logged_and_shown_to_the_organisations_admin(client, world, make_key):
    created = make_key(Scope.READ)
    client.get("/api/contracts/", **bearer(created))
    post_need(client, created)
    calls = list(ApiCall.objects.order_by("id").values_list("method", "route", "status"))
    assert calls == [("GET", "/api/contracts/", 200), ("POST", "/api/needs/", 403)]
    assert all(call.duration_ms >= 0 for call in ApiCall.objects.all())
    created.key.refresh_from_db()
    assert created.key.last_used_at is not None
    # Calls without a key are not the log's.
    client.get("/api/contracts/")
    assert ApiCall.objects.count() == 2

    client.force_login(world.cci_adviser)
    page = client.get("/partenaires/cci/cles/").content.decode()
    assert "POST /api/needs/" in page
    assert created.token not in page
    client.force_login(world.cci_manager)  # not an admin of the team
    assert client.get("/partenaires/cci/cles/").status_code == 403


def test_the_read_endpoints_keep_the_session_and_take_a_read_key(client, world, make_key):
    assert client.get("/api/contracts/").status_code == 200
    assert client.get("/api/contracts/", **bearer(make_key(Scope.READ))).status_code == 200
    refused = client.get("/api/contracts/", **bearer(make_key(Scope.NEEDS_WRITE)))
    assert (refused.status_code, refused.json()["scope"]) == (403, "read")
    assert client.get("/api/contracts/", HTTP_AUTHORIZATION="Bearer flr_nothing").status_code == 401


def test_old_calls_are_purged(world, make_key):
    from datetime import timedelta

    from django.utils import timezone

    from filiere.partners.tasks import purge_api_calls

    key = make_key(Scope.READ).key
    old = ApiCall.objects.create(key=key, method="GET", route="/api/", status=200, duration_ms=1)
    ApiCall.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=200))
    ApiCall.objects.create(key=key, method="GET", route="/api/", status=200, duration_ms=1)
    assert purge_api_calls.delay().get() == 1
    assert ApiCall.objects.count() == 1


@pytest.mark.parametrize("scopes", [[], ["admin"]])
def test_a_key_has_known_scopes(client, world, make_key, scopes):
    from filiere.accounts.models import Membership

    Membership.objects.filter(user=world.cci_adviser).update(is_admin=True)
    client.force_login(world.cci_adviser)
    response = client.post("/partenaires/cci/cles/", {"name": "CRM", "scopes": scopes})
    assert response.status_code == 422
    assert not world.cci.api_keys.exists()


def test_the_command_creates_a_key_or_says_which_argument_is_wrong(
    client, world, make_key, run_command
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from filiere.partners.models import ApiKey

    make_key(Scope.READ).key.delete()  # the CCI's adviser made its team's admin
    out, _err = run_command(
        "create_api_key", organisation="cci", user="conseil@cci.test", scopes=["all"]
    )
    token = out.splitlines()[0]
    assert ApiKey.objects.get().scopes == list(Scope.values)
    assert client.get("/api/support/needs", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    for options, field in (
        ({"organisation": "nulle-part", "user": "conseil@cci.test"}, "--organisation"),
        ({"organisation": "cci", "user": "direction@cci.test"}, "--user"),
        ({"organisation": "cci", "user": "conseil@cci.test", "scopes": ["tout"]}, "--scope"),
    ):
        err = StringIO()
        with pytest.raises(CommandError) as refused:
            call_command(
                "create_api_key", stdout=StringIO(), stderr=err, **{"scopes": ["read"], **options}
            )
        assert "rien n'a été écrit" in str(refused.value)
        assert f"champ « {field} »" in err.getvalue()
    assert ApiKey.objects.count() == 1


def test_the_keys_page_reads_in_a_fixed_number_of_queries(
    client, world, make_key, django_assert_num_queries
):
    for _ in range(4):
        client.get("/api/contracts/", **bearer(make_key(Scope.READ)))
    client.force_login(world.cci_adviser)
    # The session, the user, the organisation and the admin's right, the keys (with their
    # creators), the calls (with their keys): the same whatever the number of keys and calls.
    with django_assert_num_queries(7):
        page = client.get("/partenaires/cci/cles/").content.decode()
    assert page.count("GET /api/contracts/") == 4
