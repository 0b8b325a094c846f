"""CSV downloads as French spreadsheet software opens them: semicolons and a byte-order mark."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpResponse


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark so that spreadsheet software opens the French text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def wants_csv(request) -> bool:
    """A list page asked for its CSV export (``?format=csv``, with the same filters)."""
    return request.GET.get("format") == "csv"


def csv_link(request) -> str:
    """The query string of the current list's CSV export, its filters kept."""
    query = request.GET.copy()
    query["format"] = "csv"
    return f"?{query.urlencode()}"


# How many rows a list page shows at most; its CSV export gives them all.
LISTED = 200


@dataclass(frozen=True)
class Listing:
    """What a filtered list page shows: its first rows, how many match, its export's link."""

    rows: list
    total: int
    shown: int
    csv_link: str


def listing(request, rows, *, shown: int = LISTED) -> Listing:
    """The first ``shown`` of ``rows`` (a filtered, ordered query set) for ``request``'s page."""
    return Listing(
        rows=list(rows[:shown]), total=rows.count(), shown=shown, csv_link=csv_link(request)
    )
