"""Every page of the demo, as a visitor and as each demo account, prints its figures in
French (« 8 500 € », « 46 », never « 8500.00 » or « 46,00 ») and gives each element its own
id (two forms' « amount » fields with one id point their labels at the first)."""

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from filiere.accounts.models import User
from filiere.programme.demo import DEMO_ACCOUNTS
from tests.pages.conftest import crawl

ACCOUNTS = [None, *(account.email for account in DEMO_ACCOUNTS)]

# A Decimal printed as Python writes it (« 8500.00 »), as Django localizes it with its
# decimals (« 46,00 »), or an amount without its thousands grouped (« 3500 € »).
RAW_FIGURE = re.compile(r"\b\d+\.\d\d\b|\b\d+,00\b|\b\d{4,}(?:,\d+)? ?€")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)
ID = re.compile(r"""\sid=["']([^"']+)["']""")


def raw_figures(html: str) -> list[str]:
    """What a reader sees of a page (its texts and options, not its attributes)."""
    return sorted(set(RAW_FIGURE.findall(HIDDEN.sub(" ", html))))


def duplicate_ids(html: str) -> dict[str, int]:
    return {name: n for name, n in Counter(ID.findall(html)).items() if n > 1}


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<td>8500.00 €</td>", ["8500.00"]),
        ("<p>Reste à charge : 3500,00 €</p>", ["3500,00"]),
        ("<option>Convention (9000 €)</option>", ["9000 €"]),
        ('<td class="num">46,00</td>', ["46,00"]),
        ("<td>8 500 €</td><td>46</td><td>12,5 %</td>", []),
        ('<input value="8500.00">', []),
    ],
)
def test_the_check_sees_raw_figures_in_the_text_only(html, found):
    assert raw_figures(html) == found


def test_the_check_sees_an_id_given_twice():
    html = '<input id="id_year"><label for="id_year"></label><select id="id_year">'
    assert duplicate_ids(html) == {"id_year": 2}


@pytest.fixture(scope="package")
def pages(demo, django_db_blocker):
    """Every page each account reaches by links: {account: {url: html}}."""
    from django.test import Client

    reached = {}
    with django_db_blocker.unblock():
        for email in ACCOUNTS:
            client = Client()
            if email:
                client.force_login(User.objects.get(email=email))
            reached[email] = crawl(client).pages
    return reached


@pytest.mark.django_db
@pytest.mark.parametrize("email", ACCOUNTS)
def test_every_page_prints_its_figures_in_french(pages, email):
    assert len(pages[email]) > 20
    found = {url: raw_figures(html) for url, html in pages[email].items()}
    assert {url: figures for url, figures in found.items() if figures} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("email", ACCOUNTS)
def test_no_page_gives_one_id_to_two_elements(pages, email):
    found = {url: duplicate_ids(html) for url, html in pages[email].items()}
    assert {url: ids for url, ids in found.items() if ids} == {}


@pytest.mark.django_db
def test_the_region_officer_reaches_the_contract_set_up_pages(pages):
    """The set-up pages are among those checked above: the officer reaches them by links."""
    names = {resolve(urlsplit(url).path).url_name for url in pages["officier@demo.filiere.fr"]}
    set_up = {"contract_create", "setup", "contract_edit", "actor", "axis_edit", "action_edit"}
    set_up |= {"indicator_edit", "strategy", "pillar", "pillar_commitment"}
    assert set_up - names == set()
