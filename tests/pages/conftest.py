"""The whole demo (every app's, as ``make demo`` loads it), once for this folder's tests, and
a crawler that opens every page its links reach, as a visitor or a demo account."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve

from filiere.programme.contract_import import NORMANDY_SLUG
from filiere.territory.sectors import DIGITAL_SECTOR
from filiere.territory.services import sector_definition_install

DEMO_COMMANDS = [
    ("load_reference_data", "--regions", "28"),
    ("load_scenario", NORMANDY_SLUG),
    ("load_demo_data",),
    ("load_demo_register",),
    ("load_demo_labels",),
    ("load_demo_needs",),
    ("load_demo_support",),
    ("load_demo_events",),
    ("load_demo_projects",),
    ("load_demo_registers",),
]


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """Loaded once and rolled back after the folder's tests (each test runs in a savepoint)."""
    from io import StringIO

    from django.core.management import call_command

    with django_db_blocker.unblock(), transaction.atomic():
        sector_definition_install(spec=DIGITAL_SECTOR)
        for command in DEMO_COMMANDS:
            call_command(*command, stdout=StringIO(), stderr=StringIO())
        yield
        transaction.set_rollback(True)


# Links the crawler leaves alone: downloads, the API, the admin, leaving the session.
SKIPPED = re.compile(
    r"\.(geojson|json|ics)$|^/(admin|api|i18n|static|media)/|^/comptes/(logout|social)"
    r"|/documents/\d+/$"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href and not href.startswith(("#", "mailto:", "tel:", "http")):
                self.links.append(href)


CSV = re.compile(r"\.csv$|(^|&)format=csv(&|$)")


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # {url: html}
    downloads: set[str] = field(default_factory=set)  # the CSV exports the pages link to


def crawl(client, start="/", limit=120) -> Crawl:
    """Every page reachable from ``start`` by links, one per URL pattern (the first met) and
    per query string's keys, and the CSV exports they link to."""
    seen_patterns: set = set()
    found = Crawl()
    pages = found.pages
    queue = [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if CSV.search(parts.path) or CSV.search(parts.query):
            found.downloads.add(url)
            continue
        if SKIPPED.search(parts.path):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        key = (match.view_name, tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k)))
        if key in seen_patterns:
            continue
        seen_patterns.add(key)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[url] = html
        parser = _Links()
        parser.feed(html)
        queue.extend(urljoin(url, link) for link in parser.links)
    return found
