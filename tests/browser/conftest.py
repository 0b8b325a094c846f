"""Playwright driving Debian's Chromium (the root conftest's ``chromium``) against the live
test server."""

from pathlib import Path

import pytest

from filiere.common.command import Summary
from filiere.programme.demo import DEMO_PASSWORD, demo_load
from tests.factories import normandy_contract_without_communes
from tests.worlds import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def scenario(transactional_db):
    contract = normandy_contract_without_communes()
    demo_load(contract=contract, summary=Summary())
    return contract


@pytest.fixture
def login(page):
    def sign_in(email: str, password: str = DEMO_PASSWORD):
        page.goto("/comptes/login/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")

    return sign_in


def serious_violations(page) -> list[dict]:
    """Run axe-core on a page; return its serious and critical violations.

    axe is evaluated through the browser's debugging channel: the pages' Content-Security-
    Policy refuses any inline script, and a script tag would be one."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def axe_violations(page):
    """Run axe-core on the current page; return the serious and critical violations."""
    return lambda: serious_violations(page)


@pytest.fixture
def open_page(chromium, live_server):
    """Another person's browser, signed in as ``email`` (or anonymous)."""
    contexts = []

    def open_as(email: str | None = None):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto("/comptes/login/")
            page.get_by_label("Adresse e-mail").fill(email)
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()
