import os
from pathlib import Path

import pytest
from django.core.management import call_command

from filiere.common.command import Summary
from filiere.programme.demo import demo_load
from tests.factories import normandy_contract_without_communes


@pytest.fixture
def normandy_contract(db):
    """The Normandy scenario with its demo data, on a minimal territory (région 28 only)."""
    contract = normandy_contract_without_communes()
    demo_load(contract=contract, summary=Summary())
    return contract


@pytest.fixture
def run_command():
    """Call a management command as a user would and return what it printed."""
    from io import StringIO

    def run(*args, **options):
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def world(db):
    from tests.worlds import matching_world

    return matching_world()


@pytest.fixture(autouse=True)
def on_commit_at_once(monkeypatch):
    """Run on-commit callbacks (the tasks: mails, runs) at once, as the end of a request does:
    a test's transaction never commits."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit count (kept in this process's memory in tests)."""
    from django.core.cache import cache

    cache.clear()


# Playwright driving Debian's Chromium, for the browser tests and the runtime tests: one
# browser per test process. It never downloads a browser; under CI the browser must be
# there, and the tests fail rather than skip. Playwright's sync API runs an event loop in
# this thread; the ORM calls the tests make to set data up are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("FILIERE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
