"""French formatting of figures shared by templates, services and exports."""

from decimal import Decimal

from django.utils.formats import number_format


def format_euros(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), 0, force_grouping=True)} €"
