"""The platform as it runs in production: a web process, workers and beat, each its own
process, on the test database and a real broker (Redis when FILIERE_TEST_BROKER_URL names it,
as CI's runtime leg does; otherwise the embedded queue kept in files).

The tests set their data up in this process, committed (``transactional_db``), and then act
as people would: through the pages, with a browser or HTTP.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

from filiere.settings.base import PROJECT_DIR
from tests.processes import free_port, post_form

# A killed worker's run is taken as stopped after this silence, watched this often.
SILENT_SECONDS = 4
WATCH_SECONDS = 1


@pytest.fixture(autouse=True)
def on_commit_at_once():
    """Here on-commit callbacks run when the transaction commits, as in production: the
    root conftest's shortcut would publish tasks before their rows are visible."""


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def broker_url() -> str:
    """Redis (FILIERE_TEST_BROKER_URL names the server; each test process takes a database of
    its own, so that parallel test processes never take each other's tasks), or the embedded
    queue in the stack's own folder."""
    server = os.environ.get("FILIERE_TEST_BROKER_URL", "")
    if not server:
        return ""
    number = 10 + int(re.sub(r"\D", "", os.environ.get("PYTEST_XDIST_WORKER", "")) or 0)
    url = f"{server.rstrip('/')}/{number}"
    redis.Redis.from_url(url).flushdb()
    return url


def wait_until(condition: Callable[[], object], *, seconds: float, what: str, logs=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not after {seconds} s\n{logs() if logs else ''}")


class Stack:
    """The platform's processes, started and killed at will."""

    def __init__(self, work: Path):
        self.work = work
        self.mail_dir = work / "mails"
        self.mail_dir.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_BROKER_URL"}
        }
        self.environment.update(
            DJANGO_SETTINGS_MODULE="tests.runtime.settings",
            DATABASE_URL=database_url(),
            FILIERE_VAR_DIR=str(work),
            FILIERE_TEST_MAIL_DIR=str(self.mail_dir),
            FILIERE_RUN_SILENT_SECONDS=str(SILENT_SECONDS),
            FILIERE_WATCH_SECONDS=str(WATCH_SECONDS),
            PYTHONUNBUFFERED="1",
        )
        broker = broker_url()
        if broker:
            self.environment["CELERY_BROKER_URL"] = broker

    def start(self, name: str, *command: str, **environment: str) -> subprocess.Popen:
        with (self.work / f"{name}.log").open("a") as log:  # the process keeps its copy
            process = subprocess.Popen(
                [sys.executable, "-m", "filiere", *command],
                env={**self.environment, **environment},
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: killing it kills its children too
            )
        self.processes[name] = process
        return process

    def start_web(self, **environment: str) -> None:
        self.start("web", "runserver", f"127.0.0.1:{self.port}", "--noreload", **environment)
        wait_until(self._answers, seconds=60, what="the web process", logs=self.logs)

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/comptes/login/", timeout=2).ok
        except requests.ConnectionError:
            return False

    def start_worker(self, name: str = "worker") -> None:
        self.start(name, "worker", "--concurrency", "1", "--hostname", f"{name}@%h")
        wait_until(
            lambda: "ready." in (self.work / f"{name}.log").read_text(),
            seconds=60,
            what=f"the {name}",
            logs=self.logs,
        )

    def start_beat(self) -> None:
        self.start("beat", "beat")

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash or an out-of-memory killer would: nothing is cleaned up."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name)

    def logs(self) -> str:
        return "\n".join(
            f"== {path.name}\n{path.read_text()[-4000:]}" for path in self.work.glob("*.log")
        )

    def mails(self) -> list[str]:
        """The mails sent, each whole (Django's file backend may write several to one file,
        each followed by a line of dashes)."""
        return [
            mail
            for path in sorted(self.mail_dir.iterdir())
            for mail in path.read_text().split("\n" + "-" * 79 + "\n")
            if mail.strip()
        ]


@pytest.fixture
def stack(transactional_db, tmp_path):
    stack = Stack(tmp_path)
    yield stack
    stack.stop_all()


def sign_in(stack: Stack, email: str, password: str) -> requests.Session:
    """A person's session on the web process, signed in through the sign-in form."""
    session = requests.Session()
    post_form(session, stack.url, "/comptes/login/", {"login": email, "password": password})
    return session
