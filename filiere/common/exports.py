"""Lists as the pages show them and as their CSV exports give them, from one column list.

Each app's ``exports`` module lists the columns of its lists once: a
:class:`Column` names its CSV header, its table header and how to read its
value from a row; the CSV (semicolons, a byte-order mark, decimal commas and
dd/mm/yyyy dates, as French spreadsheet software reads them) and the page's
table (``_table.html``) both read them. A coded value (a status) is declared
once with its ``choices``: the page and the CSV give its French label, and the
CSV gives its code in a ``<name>_code`` column beside it, for scripts.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    """One column of a list: ``name`` heads the CSV, ``label`` the page's table, and
    ``value(row)`` gives the cell (text, number, date, yes/no or None)."""

    name: str
    label: str
    value: Callable[[object], object]
    # Shown in the page's table too (some columns are for the export only).
    on_page: bool = True
    # The page's cell links there (a function of the row), with the row's demo badge.
    link: Callable[[object], str] | None = None
    # The page's cell carries the row's demo badge, with or without a link.
    demo_badge: bool = False
    # Written after a number on the page (« h », « € », « /5 »).
    suffix: str = ""
    # The value is a code of these choices (a TextChoices class, (code, label) pairs or a
    # mapping): the label is shown, and the CSV adds the code in a column of its own.
    choices: object = None

    def labels(self) -> Mapping:
        choices = getattr(self.choices, "choices", self.choices)
        return choices if isinstance(choices, Mapping) else dict(choices)

    def shown(self, row):
        """The cell as a reader reads it: a code's label, or the value itself."""
        value = self.value(row)
        if self.choices is None or value in (None, ""):
            return value
        return str(self.labels().get(value, value))

    @property
    def code_name(self) -> str:
        return f"{self.name}_code"


def csv_cell(value):
    """A value as the export writes it for French spreadsheet software: dates as dd/mm/yyyy
    (a datetime as its day), a decimal comma, no grouping and no trailing zero (« 1500,5 »),
    « oui »/« non »."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        # The number, not its column's scale: « 850000 », « 0,8379 », whichever the database
        # (PostgreSQL gives « 850000.0000 » for a value SQLite gives as « 850000 »).
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        else:
            value = value.normalize()
        return format(value, "f").replace(".", ",")
    return value


# A text cell starting with one of these is a formula to spreadsheet software (OWASP's « CSV
# injection »): the export writes it after a quote, which shows it as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A negative number as ``csv_cell`` writes it (« -12,5 ») is a number, not a formula.
NUMBER = re.compile(r"-?\d+(,\d+)?")


def spreadsheet_safe(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """Every CSV download of the platform: semicolons, a byte-order mark (so that spreadsheet
    software opens the French text as UTF-8), and no text cell read as a formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return response


class _Line:
    """A file-like object that gives back the line the csv writer writes into it."""

    def write(self, line: str) -> str:
        return line


def schema_csv_lines(fields: Sequence[str], rows: Iterable[Mapping]) -> Iterator[str]:
    """Rows in an official open-data schema's CSV (schema.data.gouv.fr: UTF-8, commas, no
    byte-order mark), line by line for a streamed answer; a text that spreadsheet software
    would run as a formula is written as text, as in every export."""
    writer = csv.DictWriter(_Line(), fieldnames=fields, lineterminator="\n")
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({name: spreadsheet_safe(value) for name, value in row.items()})


def csv_header(columns: Sequence[Column]) -> list[str]:
    """The CSV's column names: a coded column's label, then its code."""
    header = []
    for column in columns:
        header.append(column.name)
        if column.choices is not None:
            header.append(column.code_name)
    return header


def csv_row(columns: Sequence[Column], row) -> list:
    cells = []
    for column in columns:
        cells.append(csv_cell(column.shown(row)))
        if column.choices is not None:
            cells.append(csv_cell(column.value(row)))
    return cells


def csv_export(filename: str, columns: Sequence[Column], rows: Iterable) -> HttpResponse:
    """Every row of a list, in every column."""
    return csv_response(filename, csv_header(columns), (csv_row(columns, row) for row in rows))


def page_columns(columns: Sequence[Column]) -> list[Column]:
    return [column for column in columns if column.on_page]


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def wants_csv(request) -> bool:
    """A list page asked for its CSV export (``?format=csv``, with the same filters)."""
    return request.GET.get("format") == "csv"


PAGE = "page"


def csv_link(request) -> str:
    """The query string of the current list's CSV export, its filters kept (every page)."""
    query = request.GET.copy()
    query.pop(PAGE, None)
    query["format"] = "csv"
    return f"?{query.urlencode()}"


def page_link(request, number: int) -> str:
    """The query string of another page of the current list, its filters kept."""
    query = request.GET.copy()
    query[PAGE] = str(number)
    return f"?{query.urlencode()}"


# How many rows a list page shows; the next ones are on ``?page=2``…, the export has them all.
LISTED = 50


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str = ""  # none for the current page and for a gap (« … »)
    current: bool = False
    rel: str = ""


@dataclass(frozen=True)
class Listing:
    """What a filtered list page shows: one page of its rows, how many match, the links to
    its other pages and to its export, and the columns of its table."""

    rows: list
    total: int
    csv_link: str
    columns: tuple[Column, ...] = ()
    page: Page | None = None
    links: tuple[PageLink, ...] = ()


def page_links(request, page: Page) -> tuple[PageLink, ...]:
    """Previous, the pages around the current one (the others elided), next."""
    if not page.has_other_pages():
        return ()
    links = []
    if page.has_previous():
        links.append(PageLink(_("Précédente"), page_link(request, page.number - 1), rel="prev"))
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.number:
            links.append(PageLink(str(number), current=True))
        elif number == page.paginator.ELLIPSIS:
            links.append(PageLink(str(number)))
        else:
            links.append(PageLink(str(number), page_link(request, number)))
    if page.has_next():
        links.append(PageLink(_("Suivante"), page_link(request, page.number + 1), rel="next"))
    return tuple(links)


def listing(request, rows, *, columns: Sequence[Column] = (), per_page: int = LISTED) -> Listing:
    """The page ``?page=N`` of ``rows`` (a filtered, ordered query set) for ``request``: a
    count and a slice, two queries; a page number out of range gives the nearest page."""
    page = Paginator(rows, per_page).get_page(request.GET.get(PAGE))
    return Listing(
        rows=list(page.object_list),
        total=page.paginator.count,
        csv_link=csv_link(request),
        columns=tuple(page_columns(columns)),
        page=page,
        links=page_links(request, page),
    )
