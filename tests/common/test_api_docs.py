"""The API documentation (/api/docs) names no other host: Swagger UI is served by the
platform from django-ninja's own static files, so the page works offline and under the
Content-Security-Policy (no inline script runs)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

URL_ATTRIBUTES = {"src", "href", "action", "data", "poster", "srcset"}


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.urls += [value for name, value in attrs if name in URL_ATTRIBUTES and value]
        if tag == "script" and "src" not in attributes:
            self.inline_scripts.append(attributes)


def docs_references(client) -> References:
    response = client.get("/api/docs")
    assert response.status_code == 200
    references = References()
    references.feed(response.content.decode())
    return references


def test_the_api_docs_name_no_other_host(client, db):
    references = docs_references(client)
    assert references.urls, "the docs page names its scripts and styles"
    elsewhere = [url for url in references.urls if urlsplit(url).scheme or urlsplit(url).netloc]
    assert elsewhere == []
    # Nor does any text of the page, the Swagger UI settings included.
    html = client.get("/api/docs").content.decode()
    assert "http://" not in html
    assert "https://" not in html


def test_the_api_docs_scripts_and_styles_are_served_by_the_platform(client, db):
    references = docs_references(client)
    assert any(url.endswith("swagger-ui-bundle.js") for url in references.urls)
    assert any(url.endswith("swagger-ui.css") for url in references.urls)
    for url in references.urls:
        response = client.get(url)
        response.close()  # WhiteNoise streams the file: closing it closes the file.
        assert response.status_code == 200, url


def test_the_api_docs_run_no_inline_script(client, db):
    response = client.get("/api/docs")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    # The settings travel as JSON data, which the browser does not run.
    assert [s.get("type") for s in docs_references(client).inline_scripts] == ["application/json"]
