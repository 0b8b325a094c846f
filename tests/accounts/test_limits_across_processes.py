"""The limits hold across server processes: two servers on one database and its cache table,
requests sent to each in turn, are counted together, as a production's workers would be."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from filiere.settings.base import PROJECT_DIR
from tests.processes import free_port, post_form

PASSWORD = "Bocage-et-pommiers-2026"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two platform processes serving one SQLite database, its cache table shared."""
    work = tmp_path_factory.mktemp("two-servers")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="filiere.settings.dev",
        DATABASE_URL=f"sqlite:///{work / 'filiere.sqlite3'}",
        FILIERE_VAR_DIR=str(work),
        FILIERE_LIMIT_SIGNUP="3/h/ip",
        FILIERE_LIMIT_NEED_FORM="2/h",
    )
    manage = [sys.executable, "-m", "filiere"]
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([*manage, *command], env=environment, cwd=PROJECT_DIR, check=True)
    servers, urls, logs = [], [], []
    for n in range(2):
        port = free_port()
        log = (work / f"server{n}.log").open("w")
        logs.append(log)
        servers.append(
            subprocess.Popen(
                [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=environment,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_for(url, work)
        yield urls
    finally:
        for server, log in zip(servers, logs, strict=True):
            server.terminate()
            server.wait(timeout=10)
            log.close()


def wait_for(url: str, work: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/comptes/login/", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    logs = "\n".join(path.read_text() for path in work.glob("server*.log"))
    raise AssertionError(f"{url} did not start:\n{logs}")


def in_turn(urls: list[str], count: int):
    return [urls[n % len(urls)] for n in range(count)]


def test_wrong_passwords_sent_to_two_processes_are_counted_together(two_servers):
    session = requests.Session()
    for url in in_turn(two_servers, 10):
        data = {"login": "personne@exemple.fr", "password": "pas-le-bon"}
        assert post_form(session, url, "/comptes/login/", data).status_code == 200
    data = {"login": "personne@exemple.fr", "password": "pas-le-bon"}
    response = post_form(session, two_servers[0], "/comptes/login/", data)
    assert response.status_code == 429
    assert "Connexion bloquée" in response.text


def test_sign_ups_sent_to_two_processes_are_counted_together(two_servers):
    session = requests.Session()
    for n, url in enumerate(in_turn(two_servers, 3)):
        data = {
            "first_name": "Jo",
            "last_name": "Lenoir",
            "email": f"p{n}@exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        assert post_form(session, url, "/comptes/signup/", data).status_code == 302
    data = {
        "first_name": "Jo",
        "last_name": "Lenoir",
        "email": "p3@exemple.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert post_form(session, two_servers[1], "/comptes/signup/", data).status_code == 429


def test_need_forms_sent_to_two_processes_are_counted_together(two_servers):
    session = requests.Session()
    for url in in_turn(two_servers, 2):
        assert post_form(session, url, "/besoins/deposer/", {}).status_code == 422
    response = post_form(session, two_servers[0], "/besoins/deposer/", {})
    assert response.status_code == 429
    assert "Trop d'envois" in response.text
