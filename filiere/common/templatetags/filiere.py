"""Template filters for French figures (euros, percentages, numbers) and list cells: every
figure a page shows goes through ``common.formats``."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from engine.register.jobs import HEADCOUNT_BANDS
from filiere.common.exports import is_number
from filiere.common.formats import (
    EMPTY,
    format_day,
    format_euros,
    format_number,
    format_percent,
    format_value,
)
from filiere.common.idempotency import FIELD, new_token

register = template.Library()


@register.filter
def euros(value) -> str:
    return format_euros(value)


@register.filter
def percent(value, at_most: int = 0) -> str:
    """A share (0–1) as « 12 % », or « 12,5 % » with ``percent:1``."""
    return format_percent(value, at_most)


@register.filter
def headcount(code) -> str:
    """A SIRENE headcount band in words: « 1 ou 2 salariés », not « 01 »."""
    if not code:
        return EMPTY
    return HEADCOUNT_BANDS.get(code, (code,))[0]


@register.filter
def day(value) -> str:
    """« 1er janvier 2017 », « 5 avril 2027 »: the pages' long dates."""
    return format_day(value)


@register.filter
def number(value, at_most: int = 2) -> str:
    """« 36 170 », « 4,2 »: grouped, with the decimals the value has (at most ``at_most``)."""
    return format_number(value, at_most)


@register.filter
def bar_width(value) -> int:
    """A share (0–1, possibly beyond) as a width in percent for a progress bar."""
    if value is None:
        return 0
    return max(0, min(100, round(float(value) * 100)))


STATUS_LABELS = {
    "achieved": _("Cible atteinte"),
    "on_track": _("En bonne voie"),
    "at_risk": _("En retard sur la trajectoire"),
    "missed": _("Échéance manquée"),
    "no_target": _("Sans cible"),
    "no_data": _("Pas encore de mesure"),
    "unknown": _("Tendance non calculable"),
}


@register.filter
def status_label(status) -> str:
    return STATUS_LABELS.get(str(status), str(status))


@register.simple_tag
def sparkline(row, width: int = 128, height: int = 32):
    """A small SVG of an indicator's measurements (line) and its planned trajectory (dashes)."""
    points = list(row.points)
    planned = list(row.planned)
    everything = points + planned
    if len(everything) < 2:
        return ""
    days = [p.on.toordinal() for p in everything]
    values = [p.value for p in everything]
    if row.target is not None:
        values.append(float(row.target))
    x0, x1 = min(days), max(days)
    y0, y1 = min(values), max(values)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1

    def xy(p) -> str:
        x = 2 + (p.on.toordinal() - x0) / span_x * (width - 4)
        y = height - 2 - (p.value - y0) / span_y * (height - 4)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("Trajectoire"))}" focusable="false">'
    ]
    if len(planned) == 2:
        parts.append(
            f'<polyline points="{" ".join(xy(p) for p in planned)}" fill="none" '
            'stroke="#767676" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    if points:
        parts.append(
            f'<polyline points="{" ".join(xy(p) for p in points)}" fill="none" '
            'stroke="#0063cb" stroke-width="2"/>'
        )
        last = xy(points[-1]).split(",")
        parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="2.5" fill="#0063cb"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@register.simple_tag
def cell(column, row):
    """One cell of a list's table (``common.exports.Column``): dates as dd/mm/yyyy, numbers
    grouped, yes/no, a dash when empty; the first column's link and demo badge."""
    value = column.shown(row)
    numeric = is_number(value)
    # A list's cell gives a datetime's day; its hour is on the record's page.
    text = format_value(timezone.localtime(value).date() if isinstance(value, datetime) else value)
    if column.suffix and text != EMPTY:
        text = f"{text}{column.suffix}"
    content = escape(text)
    if column.link is not None:
        content = format_html('<a href="{}">{}</a>', column.link(row), text)
    if (column.link is not None or column.demo_badge) and getattr(row, "is_demo", False):
        content = format_html('{} <span class="badge badge-demo">{}</span>', content, _("Démo"))
    return format_html("<td{}>{}</td>", mark_safe(' class="num"') if numeric else "", content)


@register.simple_tag
def form_token():
    """The one-time token of a form that creates something (``common.idempotency``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
