"""Bounds on what users give in a query string: a date within a span, read at the door.

Out of bounds is a ``Refused`` naming the bound (a 422 page or API body), answered before
any work is done for it.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filiere.common.refusals import Refused


def out_of_span(start: date, end: date) -> str:
    """What a form or a refusal says of a date outside ``start``…``end``."""
    return _("La date doit tomber entre le %(start)s et le %(end)s.") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }


def date_within(value: date, *, start: date, end: date, field: str) -> date:
    if not start <= value <= end:
        raise Refused(
            "input.date_out_of_range", f"« {field} » : {out_of_span(start, end)}", field=field
        )
    return value


def date_param(request, name: str, *, start: date, end: date, default: date) -> date:
    """A date of the query string (``?au=2019-12-31``), within ``start``…``end``."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise Refused(
            "input.date_invalid",
            _("« %(field)s » : date invalide, au format AAAA-MM-JJ.") % {"field": name},
            field=name,
        ) from None
    return date_within(value, start=start, end=end, field=name)
