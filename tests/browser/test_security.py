"""Every main page works under the Content-Security-Policy: no script, style or frame of the
page is refused by the browser."""

from urllib.parse import urlsplit

import pytest

from tests.browser.test_steering import MAIN_PAGES, OFFICER

# Violations are collected from the start of each page, before its own scripts run.
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""

PAGES = [
    *MAIN_PAGES,
    "/annuaire/",
    "/observatoire/",
    "/observatoire/filieres/",
    "/besoins/deposer/",
    "/besoins/conseil/",
    "/accompagnement/",
    "/accompagnement/regles/",
    "/evenements/",
    "/projets/",
    "/projets/aides/",
    "/registres/",
    "/registres/residences/",
    "/registres/tiers-lieux/",
    "/registres/datalab/",
    "/registres/formations/",
    "/api/docs",
    "/comptes/mon-compte/",
]


@pytest.mark.browser
def test_the_main_pages_run_under_the_content_security_policy(page, scenario, login):
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda message: console.append(message.text))
    login(OFFICER)
    found = {}
    for path in PAGES:
        response = page.goto(path)
        assert response.status < 400, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        refused = [text for text in console if "Content Security Policy" in text]
        if violations or refused:
            found[path] = violations + refused
        console.clear()
    assert found == {}


@pytest.mark.browser
def test_the_api_documentation_renders_offline(page, live_server):
    """Swagger UI comes from the platform's static files: with every request to another
    host refused, the docs still list the operations, under the Content-Security-Policy."""
    own = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_the_platform(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_platform)
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto("/api/docs")
    page.locator(".swagger-ui .title").wait_for()
    assert "Filière API" in page.locator(".swagger-ui .title").inner_text()
    page.locator(".opblock").first.wait_for(state="visible")
    assert page.locator(".opblock").count() > 5
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert elsewhere == []
