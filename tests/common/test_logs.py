"""Structured logs: one JSON line per request with its id, method, path, status, duration and
user id; every line logged during a request or a Celery task carries its id."""

import io
import json
import logging
import logging.config

import pytest
from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.http import HttpResponse

from filiere.common import logs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The JSON lines the production handler writes, as dicts."""
    config = logs.logging_config(log_format="json", level="INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    formatter = config["formatters"]["json"]
    handler.setFormatter(logging.config.DictConfigurator({}).configure_custom(dict(formatter)))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_request_is_one_json_line_with_its_id_and_user_id(client, json_lines):
    user = UserFactory(email="personne@exemple.fr")
    client.force_login(user)
    response = client.get("/comptes/mon-compte/", HTTP_X_REQUEST_ID="lb-42.a_b")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-42.a_b"
    [line] = [line for line in json_lines() if line["logger"] == "filiere.request"]
    assert line == line | {
        "message": f"GET /comptes/mon-compte/ 200 {line['duration_ms']} ms",
        "level": "INFO",
        "request_id": "lb-42.a_b",
        "method": "GET",
        "path": "/comptes/mon-compte/",
        "status": 200,
        "user": user.pk,
    }
    assert isinstance(line["duration_ms"], float)
    assert "personne@exemple.fr" not in json.dumps(json_lines())


def test_an_unfit_request_id_is_replaced(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='forged" "line\nx')
    new_id = response["X-Request-ID"]
    assert len(new_id) == 32
    assert int(new_id, 16) >= 0
    [line] = [line for line in json_lines() if line["logger"] == "filiere.request"]
    assert line["request_id"] == new_id
    assert line["user"] is None


def test_every_line_logged_during_a_request_carries_its_id(rf, json_lines, settings):
    def view(request):
        logging.getLogger("filiere.somewhere").warning("inside")
        return HttpResponse("ok")

    logs.RequestLogMiddleware(view)(rf.get("/x", HTTP_X_REQUEST_ID="req-1"))
    logging.getLogger("filiere.somewhere").warning("after")
    inside, request_line, after = json_lines()
    assert inside["message"] == "inside"
    assert inside["request_id"] == "req-1"
    assert "user" in inside
    assert request_line["request_id"] == "req-1"
    assert "request_id" not in after


def test_every_line_logged_inside_a_task_carries_its_id(json_lines):
    app = Celery("filiere-test", set_as_current=False)

    @app.task(name="filiere.tests.notify")
    def notify():
        logging.getLogger("filiere.tasks").info("sending")

    task_prerun.send(sender=notify, task_id="t-123", task=notify, args=(), kwargs={})
    notify.run()
    task_postrun.send(sender=notify, task_id="t-123", task=notify, args=(), kwargs={}, retval=None)
    logging.getLogger("filiere.tasks").info("idle")
    inside, idle = json_lines()
    assert inside["task_id"] == "t-123"
    assert inside["task_name"] == "filiere.tests.notify"
    assert "task_id" not in idle


def test_the_log_format_is_checked():
    with pytest.raises(ValueError, match="json or text"):
        logs.logging_config(log_format="xml", level="INFO")
