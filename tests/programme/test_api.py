from decimal import Decimal

import pytest
from django.test import Client

from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.programme.models import Measurement
from tests.factories import member

SLUG = "normandie-numerique-2017"
BASE = f"/api/contracts/{SLUG}"


def test_openapi_schema_is_published(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/contracts/{slug}/indicators" in paths
    assert client.get("/api/docs").status_code == 200


def test_contracts_and_indicators(client, normandy_contract):
    contracts = client.get("/api/contracts/").json()
    assert [c["slug"] for c in contracts] == [SLUG]
    assert Decimal(contracts[0]["budget_eur"]) == 850000
    assert contracts[0]["region"] == "28"

    indicators = {i["code"]: i for i in client.get(f"{BASE}/indicators").json()}
    assert indicators["lycees-fibre"]["status"] == "achieved"
    assert indicators["budget-engage"]["latest_value"] > 0
    assert indicators["entreprises-accompagnees"]["is_demo"] is True

    early = {i["code"]: i for i in client.get(f"{BASE}/indicators?at=2018-01-01").json()}
    assert early["membres-communotic"]["latest_value"] == 410

    budget = client.get(f"{BASE}/budget").json()
    assert sum(Decimal(line["allocated_eur"]) for line in budget) == 850000


def test_unknown_contract_is_404(client, db):
    assert client.get("/api/contracts/inconnu").status_code == 404


def test_recording_a_measurement_needs_a_session_and_the_right(normandy_contract):
    url = f"{BASE}/indicators/entreprises-accompagnees/measurements"
    payload = {"measured_on": "2019-10-31", "value": "101", "comment": "API"}
    anonymous = Client()
    assert anonymous.post(url, payload, content_type="application/json").status_code == 401

    tes = Client(enforce_csrf_checks=False)
    tes.force_login(member(Organisation.objects.get(slug="pole-tes"), Role.COORDINATOR))
    assert tes.post(url, payload, content_type="application/json").status_code == 403

    nwx = Client()
    nwx.force_login(member(Organisation.objects.get(slug="nwx"), Role.COORDINATOR))
    response = nwx.post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["value"] == "101"
    assert Measurement.objects.filter(
        indicator__code="entreprises-accompagnees", value=101
    ).exists()

    again = nwx.post(url, payload, content_type="application/json")
    assert again.status_code == 422
    assert again.json()["rule"] == "measurement.one_per_day"
    assert again.json()["field"] == "measured_on"

    bad = nwx.post(url, {"measured_on": "demain", "value": "x"}, content_type="application/json")
    assert bad.status_code == 422


@pytest.mark.django_db
def test_csrf_is_enforced_for_session_writes(normandy_contract):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(Organisation.objects.get(slug="nwx"), Role.COORDINATOR))
    url = f"{BASE}/indicators/entreprises-accompagnees/measurements"
    response = client.post(
        url, {"measured_on": "2019-10-31", "value": "1"}, content_type="application/json"
    )
    assert response.status_code == 403
