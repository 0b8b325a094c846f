"""French formatting of figures shared by templates, services and exports."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


def format_euros(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), 0, force_grouping=True)} €"


def format_value(value) -> str:
    """Any stored value as a page shows it: dates as dd/mm/yyyy, numbers grouped with the
    decimals they have, « Oui »/« Non », a dash when empty."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    if isinstance(value, int | float | Decimal):
        digits = 0 if value == int(value) else 2
        return number_format(value, digits, force_grouping=True)
    return str(value)
