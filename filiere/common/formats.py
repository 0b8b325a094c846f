"""French formatting of figures shared by templates, services and exports: « 8 500 € »,
« 46 », « 12,5 % », « 31/12/2019 »; never a raw Decimal (« 8500.00 », « 46,00 »)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

EMPTY = "—"


def decimals(value, at_most: int = 2) -> int:
    """How many decimals ``value`` needs, up to ``at_most``: none for 46.00, one for 12.50."""
    number = Decimal(str(value))
    if not number.is_finite():
        return 0
    exponent = round(number, at_most).normalize().as_tuple().exponent
    return max(0, min(at_most, -exponent))


def format_number(value, at_most: int = 2) -> str:
    """A number grouped by thousands with the decimals it has, at most ``at_most``."""
    if value is None or value == "":
        return EMPTY
    return number_format(value, decimals(value, at_most), force_grouping=True)


def format_day(value) -> str:
    """A day as readers write it: « 1er janvier 2017 », « 5 avril 2027 » (a date and time
    gives its day, where it is seen)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    text = date_format(value, "j F Y")
    if value.day == 1 and get_language().startswith("fr"):
        text = f"1er{text[1:]}"
    return text


def format_euros(value) -> str:
    """Euros as a page writes them: « 8 500 € », the cents only when there are some."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(str(value))
    cents = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, cents, force_grouping=True)} €"


def format_percent(share, at_most: int = 1) -> str:
    """A share (0.125) as a percentage: « 12,5 % »."""
    if share is None or share == "":
        return EMPTY
    return f"{format_number(Decimal(str(share)) * 100, at_most)} %"


def format_value(value) -> str:
    """Any stored value as a page shows it: dates as dd/mm/yyyy, numbers grouped with the
    decimals they have, « Oui »/« Non », a dash when empty."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    if isinstance(value, int | float | Decimal):
        # A stored decimal is fixed-point (cents, tenths of an hour): « 8 500,50 », not « ,5 ».
        digits = 0 if value == int(value) else 2
        return number_format(value, digits, force_grouping=True)
    return str(value)


def counted(count: int, singular: str, plural: str) -> str:
    """« 1 ligne rejetée », « 3 lignes rejetées »: a count with its French noun, for the
    commands' untranslated output (pages and mails use ``ngettext``). French puts 0 and 1 in
    the singular."""
    return f"{format_number(count)} {plural if abs(count) > 1 else singular}"
