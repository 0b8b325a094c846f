"""/healthz answers 200 when the database and the broker answer, 503 naming the one that
does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

# kombu's in-memory transport: a broker that always answers, in this process.
WORKING_BROKER = override_settings(CELERY_BROKER_URL="memory://")


@WORKING_BROKER
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # It opened no session.
    assert "sessionid" not in response.cookies


@WORKING_BROKER
def test_a_failing_database_is_named(client):
    refused = OperationalError("connection to server failed: password s3cret-db refused")
    with (
        mock.patch.dict(connection.settings_dict, {"PASSWORD": "s3cret-db"}),
        mock.patch.object(connection, "cursor", side_effect=refused),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"] == "ok"
    assert body["database"].startswith("error: OperationalError: connection to server failed")
    assert "s3cret-db" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@override_settings(CELERY_BROKER_URL="redis://:s3cret-broker@127.0.0.1:1/0")
def test_an_unreachable_broker_is_named(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    assert "s3cret-broker" not in response.content.decode()


@override_settings(SECURE_SSL_REDIRECT=True)
@WORKING_BROKER
def test_the_https_redirect_spares_it(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
