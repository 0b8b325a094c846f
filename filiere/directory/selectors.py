"""Reads of the directory: the filtered, searched, paginated list, an organisation's page and
its label requests, the requests a granting body decides."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from filiere.directory.enums import (
    OPEN_LABEL_STATUSES,
    SIZE_CLASS_BANDS,
    EstablishmentStatus,
    LabelRequestStatus,
)
from filiere.directory.models import Establishment, Label, LabelRequest, LegalUnit
from filiere.directory.search import explain, firm_skills, rank_establishments

MAP_LIMIT = 5000


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    departement: str = ""
    epci: str = ""
    naf: str = ""
    sector_codes: tuple[str, ...] = ()
    size: str = ""
    label: str = ""
    tag: str = ""
    include_closed: bool = False


def filtered_establishments(filters: DirectoryFilters):
    establishments = Establishment.objects.all()
    if not filters.include_closed:
        establishments = establishments.filter(status="A")
    if filters.departement:
        establishments = establishments.filter(departement_code=filters.departement)
    if filters.epci:
        establishments = establishments.filter(commune__epci__code=filters.epci)
    if filters.naf:
        establishments = establishments.filter(naf__startswith=filters.naf)
    if filters.sector_codes:
        establishments = establishments.filter(naf__in=filters.sector_codes)
    if filters.size:
        establishments = establishments.filter(headcount_band__in=SIZE_CLASS_BANDS[filters.size])
    if filters.label:
        # ``labels`` holds the granted labels only: a requested one does not filter.
        establishments = establishments.filter(legal_unit__labels__slug=filters.label)
    if filters.tag:
        # A profile's tag or what another app gives firms (an offer's domain).
        skill = firm_skills().get(filters.tag)
        establishments = establishments.filter(legal_unit_id__in=skill.units if skill else ())
    return establishments


def skill_choices() -> list[tuple[str, str]]:
    """The skills at least one firm has, by name: the directory's skill filter."""
    skills = sorted(firm_skills().values(), key=lambda s: str(s.label).casefold())
    return [(skill.value, str(skill.label)) for skill in skills]


@dataclass
class SearchResult:
    page: object
    total: int
    ranked: bool
    # No index is built yet: the results are those whose name holds the words, by name.
    degraded: bool = False


def _ranked_ids(filters: DirectoryFilters, ranking) -> list[int]:
    """The ranked establishments that ``filtered_establishments`` would keep, best first,
    filtered on the fields the index holds (the register's, as of its build, and the firms'
    labels and skills as they are now): no query reads the hundreds of thousands of
    establishments a broad filter keeps."""
    if not filters.include_closed:
        ranking = ranking.where("status", lambda status: status == "A")
    if filters.departement:
        ranking = ranking.where("departement", lambda code: code == filters.departement)
    if filters.epci:
        ranking = ranking.where("epci", lambda code: code == filters.epci)
    if filters.naf:
        ranking = ranking.where("naf", lambda code: code.startswith(filters.naf))
    if filters.sector_codes:
        ranking = ranking.where("naf", set(filters.sector_codes).__contains__)
    if filters.size:
        ranking = ranking.where("headcount_band", set(SIZE_CLASS_BANDS[filters.size]).__contains__)
    if filters.label:
        ranking = ranking.of_units(
            LegalUnit.objects.filter(labels__slug=filters.label).values_list("id", flat=True)
        )
    if filters.tag:
        skill = firm_skills().get(filters.tag)
        ranking = ranking.of_units(skill.units if skill else ())
    return ranking.ids.tolist()


def _by_name(establishments, query: str):
    words = query.strip()
    return establishments.filter(
        Q(name__icontains=words)
        | Q(legal_unit__name__icontains=words)
        | Q(legal_unit__acronym__iexact=words)
    )


def search_directory(filters: DirectoryFilters, *, page_number: int, per_page: int = 25):
    """One page of results: ranked by BM25 when there is a query, by name otherwise. A ranked
    result's ``reasons`` say which of its texts matched (its name, its offer, a reference…).
    Before the index's first build, a query finds the names that hold it."""
    establishments = filtered_establishments(filters)
    listing = establishments.select_related("legal_unit", "commune").order_by("name", "siret")
    ranking = rank_establishments(filters.q) if filters.q.strip() else None
    if ranking is None:
        degraded = bool(filters.q.strip())
        if degraded:
            listing = _by_name(listing, filters.q)
        paginator = Paginator(listing, per_page)
        page = paginator.get_page(page_number)
        return SearchResult(page=page, total=paginator.count, ranked=False, degraded=degraded)
    paginator = Paginator(_ranked_ids(filters, ranking), per_page)
    page = paginator.get_page(page_number)
    by_id = listing.in_bulk(list(page.object_list))
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    explain(filters.q, page.object_list)
    return SearchResult(page=page, total=paginator.count, ranked=True)


def map_points(filters: DirectoryFilters) -> list[tuple]:
    """(siren, name, latitude, longitude) of up to MAP_LIMIT results, for the map."""
    establishments = filtered_establishments(filters).filter(latitude__isnull=False)
    if filters.q.strip():
        ranking = rank_establishments(filters.q)
        if ranking is None:
            establishments = _by_name(establishments, filters.q)
        else:
            best = _ranked_ids(filters, ranking)[:MAP_LIMIT]
            establishments = establishments.filter(id__in=best)
    return list(
        establishments.values_list("siren", "name", "legal_unit__name", "latitude", "longitude")[
            :MAP_LIMIT
        ]
    )


def _main_establishments():
    return Establishment.objects.filter(
        Q(is_head_office=True) | Q(status=EstablishmentStatus.ACTIVE)
    ).order_by("-is_head_office", "pk")


def main_establishments_prefetch(lookup: str = "establishments") -> Prefetch:
    """Prefetches what :func:`main_establishment` reads, for a list of legal units (``lookup``
    leads from the listed objects to the units' establishments)."""
    return Prefetch(lookup, queryset=_main_establishments(), to_attr="main_establishments")


def main_establishment(unit: LegalUnit) -> Establishment | None:
    """Where a firm is: its head office, else one of its active establishments (the regional
    register holds only the local establishments of a firm seated elsewhere)."""
    prefetched = getattr(unit, "main_establishments", None)
    if prefetched is None:
        return _main_establishments().filter(legal_unit=unit).first()
    return prefetched[0] if prefetched else None


def legal_unit_page(unit: LegalUnit) -> LegalUnit:
    return LegalUnit.objects.prefetch_related(
        "tags",
        "labels",
        "contacts",
        Prefetch(
            "establishments",
            queryset=Establishment.objects.select_related("commune").order_by(
                "-is_head_office", "status", "city"
            ),
        ),
    ).get(pk=unit.pk)


def _with_people(requests):
    return requests.select_related(
        "legal_unit", "label", "label__granted_by", "requested_by", "decided_by", "withdrawn_by"
    )


def unit_label_requests(unit: LegalUnit) -> list[LabelRequest]:
    """Every request of a firm, newest first: what its members follow on its page."""
    return list(_with_people(unit.label_requests.all()))


def requestable_labels(unit: LegalUnit):
    """The labels a firm neither holds nor awaits, with the body that grants each."""
    open_requests = LabelRequest.objects.filter(legal_unit=unit, status__in=OPEN_LABEL_STATUSES)
    return Label.objects.exclude(pk__in=open_requests.values("label_id")).select_related(
        "granted_by"
    )


def label_requests(requests, *, status: str = "", label: str = ""):
    """Requests as the granting bodies list them: those waiting first, then the newest."""
    if status:
        requests = requests.filter(status=status)
    if label:
        requests = requests.filter(label__slug=label)
    waiting_first = Case(
        When(status=LabelRequestStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return _with_people(requests).order_by(waiting_first, "-requested_at", "-id")


FINDER_LIMIT = 20


def find_firms(text: str) -> list[LegalUnit]:
    """The firms a person may mean: by SIREN, by the SIRET of one of its establishments, else
    by name or acronym; at most ``FINDER_LIMIT``, each with where it is."""
    digits = text.replace(" ", "").replace(".", "")
    units = LegalUnit.objects.select_related("organisation").prefetch_related(
        main_establishments_prefetch()
    )
    if digits.isdigit() and len(digits) == 9:
        units = units.filter(siren=digits)
    elif digits.isdigit() and len(digits) == 14:
        units = units.filter(establishments__siret=digits)
    else:
        words = text.strip()
        # The register's name, its acronym, or the name the firm's team goes by.
        units = units.filter(
            Q(name__icontains=words)
            | Q(acronym__iexact=words)
            | Q(organisation__name__icontains=words)
        ).order_by("name")
    return list(units[:FINDER_LIMIT])
