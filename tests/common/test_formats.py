"""Figures as French readers write them, everywhere a page or a mail prints one."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from filiere.common.formats import (
    counted,
    format_euros,
    format_number,
    format_percent,
    format_value,
)

NBSP = "\xa0"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("8500.00"), f"8{NBSP}500 €"),
        (Decimal("8500.5"), f"8{NBSP}500,50 €"),
        (3500, f"3{NBSP}500 €"),
        (None, "—"),
    ],
)
def test_euros(value, text):
    assert format_euros(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("46.00"), "46"),
        (36170.0, f"36{NBSP}170"),
        (Decimal("4.20"), "4,2"),
        (Decimal("1234567.891"), f"1{NBSP}234{NBSP}567,89"),
        (None, "—"),
    ],
)
def test_numbers_have_the_decimals_they_need(value, text):
    assert format_number(value) == text


def test_percent_dates_and_counts():
    assert format_percent(0.125) == "12,5 %"
    assert format_percent(Decimal("0.5")) == "50 %"
    assert format_value(date(2019, 12, 31)) == "31/12/2019"
    assert format_value(Decimal("8500.50")) == f"8{NBSP}500,50"
    assert (counted(1, "ligne", "lignes"), counted(0, "ligne", "lignes")) == ("1 ligne", "0 ligne")
    assert counted(1500, "ligne", "lignes") == f"1{NBSP}500 lignes"


def test_the_filters_read_the_same_formats():
    html = Template(
        "{% load filiere %}{{ a|euros }}|{{ n|number }}|{{ m|number:1 }}|{{ s|percent:1 }}"
    ).render(Context({"a": Decimal("8500.00"), "n": Decimal("46.00"), "m": 4.24, "s": 0.125}))
    assert html == f"8{NBSP}500 €|46|4,2|12,5 %"


def test_a_long_date_writes_the_first_of_the_month_as_french_readers_do():
    from datetime import date

    from django.utils import translation

    from filiere.common.formats import format_day

    assert format_day(date(2017, 1, 1)) == "1er janvier 2017"
    assert format_day(date(2027, 4, 5)) == "5 avril 2027"
    assert format_day(None) == ""
    with translation.override("en"):
        assert format_day(date(2017, 1, 1)) == "1 January 2017"
