"""The offices' activity page and its CSV export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from filiere.activity import access, exports, selectors
from filiere.activity.forms import ActivityFilterForm
from filiere.common.exports import Listing, csv_export, csv_link, page_columns, wants_csv


def _trend_chart(trend: selectors.Trend) -> dict:
    """A Chart.js bar chart per quarter: needs received, taken, taken within 5 working days."""
    series = [
        (_("Reçus"), "received", "#c5d3e3"),
        (_("Pris en charge"), "taken", "#6b9bd1"),
        (_("Pris en 5 jours ouvrés"), "taken_within_5_days", "#123f6d"),
    ]
    return {
        "type": "bar",
        "data": {
            "labels": trend.labels,
            "datasets": [
                {
                    "label": label,
                    "data": [getattr(figures, attribute) for figures in trend.figures],
                    "backgroundColor": colour,
                }
                for label, attribute, colour in series
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True}}},
    }


@login_required
def office_activity(request):
    access.check_see_activity(request.user)
    offices = access.activity_offices(request.user)
    filters = ActivityFilterForm(request.GET, offices=offices)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if chosen.get("office"):
        offices = offices.filter(pk=chosen["office"].pk)
    activity = selectors.office_activity(
        offices, start=chosen.get("start"), end=chosen.get("end"), subject=chosen.get("subject")
    )
    if wants_csv(request):
        return csv_export("activite-des-bureaux.csv", exports.OFFICE_ACTIVITY, activity.rows)
    listing = Listing(
        rows=activity.rows,
        total=len(activity.rows),
        csv_link=csv_link(request),
        columns=tuple(page_columns(exports.OFFICE_ACTIVITY)),
    )
    return render(
        request,
        "activity/office_activity.html",
        {
            "filters": filters,
            "listing": listing,
            "activity": activity,
            "trend_chart": _trend_chart(activity.trend),
            "trend_rows": zip(activity.trend.labels, activity.trend.figures, strict=True),
        },
    )
