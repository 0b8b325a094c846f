"""Every CSV export the demo's pages link to, as each demo account downloads it, reads in
French spreadsheet software: « ; », a byte-order mark, decimal commas, dd/mm/yyyy dates,
and French labels for coded values (the code, for scripts, in a ``_code`` column)."""

import csv
import io
import re

import pytest
from django.db import models
from django.test import Client

from filiere.accounts.models import User
from filiere.programme.demo import DEMO_ACCOUNTS
from tests.pages.conftest import crawl

# The exports in the national schemas of data.gouv.fr (commas, ISO dates) are for the
# platforms that import them, not for a spreadsheet: the aid schemes' and the open data's.
SCHEMA_EXPORTS = ("/projets/aides/dispositifs-aide.csv",)
OPEN_DATA = "/donnees/"

# An action's code (« 1.1 ») is its name, not a decimal.
NAMES = {"action"}
POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def english_codes() -> set[str]:
    """Every code of the platform's choices that is not its own French label."""
    codes = set()
    for choices in _subclasses(models.TextChoices):
        codes |= {code for code, label in choices.choices if code != str(label)}
    return codes


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def problems(text: str, codes: set[str]) -> list[str]:
    """What a French spreadsheet would misread in an export."""
    found = []
    if not text.startswith("\ufeff"):
        found.append("no byte-order mark")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    if len(header) < 2:
        found.append(f"not « ; »-separated: {header}")
    for row in body:
        for name, cell in zip(header, row, strict=False):
            if POINT_DECIMAL.match(cell) and name not in NAMES:
                found.append(f"{name}: decimal point in {cell}")
            elif ISO_DATE.match(cell):
                found.append(f"{name}: ISO date {cell}")
            elif not name.endswith("_code") and cell in codes:
                found.append(f"{name}: code {cell} instead of its label")
    return sorted(set(found))


def test_the_check_sees_what_a_spreadsheet_misreads():
    text = "\ufeffetat;montant;le\napproved;1500.00;2019-03-01\n"
    assert problems(text, {"approved"}) == [
        "etat: code approved instead of its label",
        "le: ISO date 2019-03-01",
        "montant: decimal point in 1500.00",
    ]
    good = "\ufeffetat;etat_code;montant;le\nInscrit;approved;1500,00;01/03/2019\n"
    assert problems(good, {"approved"}) == []


@pytest.mark.django_db
@pytest.mark.parametrize("email", [account.email for account in DEMO_ACCOUNTS])
def test_every_csv_export_reads_in_a_french_spreadsheet(demo, email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    downloads = sorted(
        url
        for url in crawl(client).downloads - set(SCHEMA_EXPORTS)
        if not url.startswith(OPEN_DATA)
    )
    assert len(downloads) >= 3
    codes = english_codes()
    found = {}
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        found[url] = problems(response.content.decode(), codes)
    assert {url: listed for url, listed in found.items() if listed} == {}
