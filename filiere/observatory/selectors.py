"""The observatory's figures for a territory × sector × date, each in one query, kept in the
shared cache per version of the register."""

import json
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from engine.register.jobs import HEADCOUNT_BANDS, JobsEstimate, jobs_estimate
from filiere.directory.models import Establishment, RegisterImport
from filiere.directory.search import directory_version
from filiere.observatory.models import SireneImport
from filiere.programme.models import Contract, Indicator
from filiere.territory.models import Boundary, Commune, Departement, NafCode, SectorDefinition
from filiere.territory.selectors import (
    Territory,
    commune_outlines,
    current_sector,
    parse_territory,
    site_region_code,
)


@dataclass
class SectorStats:
    territory: Territory
    sector: SectorDefinition | None
    at: date
    establishments_active: int
    economy_active: int
    jobs: JobsEstimate
    by_departement: dict[str, int]
    by_band: dict[str, int]
    by_naf: list[tuple[str, str, int]]
    by_epci: list[tuple[str, str, int]]
    by_commune: list[tuple[str, str, int]]
    years: list[tuple[int, int, int]] = field(default_factory=list)  # (year, created, closed)
    # Where the shared cache keeps these figures (stats_key): also the key of their rendering.
    key: str = ""

    @property
    def share_of_economy(self) -> float | None:
        return self.establishments_active / self.economy_active if self.economy_active else None


def observatory_scope(territory: str, sector: str) -> tuple[Territory, SectorDefinition | None]:
    """A territory and an optional sector as users name them (command line, API), checked:
    a ``ValidationError`` says what is unknown."""
    place = parse_territory(territory)
    if not sector:
        return place, None
    definition = current_sector(sector)
    if definition is None:
        raise ValidationError("Filière inconnue : %(sector)s", params={"sector": sector})
    return place, definition


def territory_establishments(territory: Territory):
    establishments = Establishment.objects.filter(departement_code__in=territory.departements)
    if territory.communes:
        establishments = establishments.filter(commune_code__in=territory.communes)
    return establishments


def _counts(queryset, *fields) -> list[tuple]:
    return list(queryset.values_list(*fields).annotate(n=Count("id")).order_by())


# Figures of a register's version no longer read leave the cache by its own policy, or after
# this long in a cache without eviction (the database's table).
STATS_TIMEOUT = 7 * 24 * 3600


def stats_key(*, territory: Territory, sector: SectorDefinition | None, at: date) -> str:
    """The shared cache's key of a territory × sector × date in the register's current state
    (one query): every web worker and machine reads the figures any of them computed."""
    scope = f"{sector.slug}:{sector.version}" if sector else "*"
    return f"observatory.stats:{directory_version()}:{territory.key}|{scope}|{at.isoformat()}"


def sector_stats(*, territory: Territory, sector: SectorDefinition | None, at: date) -> SectorStats:
    """The figures of a territory × sector × date, kept in the shared cache for the register's
    current state, computed (and kept) otherwise."""
    key = stats_key(territory=territory, sector=sector, at=at)
    data = cache.get(key)
    if data is not None:
        return _from_json(data, territory=territory, sector=sector, at=at, key=key)
    stats = compute_sector_stats(territory=territory, sector=sector, at=at)
    cache.set(key, _to_json(stats), STATS_TIMEOUT)
    stats.key = key
    return stats


def _to_json(stats: SectorStats) -> dict:
    return {
        "establishments_active": stats.establishments_active,
        "economy_active": stats.economy_active,
        "jobs": [stats.jobs.low, stats.jobs.central, stats.jobs.high],
        "by_departement": stats.by_departement,
        "by_band": stats.by_band,
        "by_naf": stats.by_naf,
        "by_epci": stats.by_epci,
        "by_commune": stats.by_commune,
        "years": stats.years,
    }


def _from_json(data: dict, **context) -> SectorStats:
    low, central, high = data["jobs"]
    return SectorStats(
        **context,
        establishments_active=data["establishments_active"],
        economy_active=data["economy_active"],
        jobs=JobsEstimate(low=low, central=central, high=high),
        by_departement=data["by_departement"],
        by_band=data["by_band"],
        by_naf=[tuple(row) for row in data["by_naf"]],
        by_epci=[tuple(row) for row in data["by_epci"]],
        by_commune=[tuple(row) for row in data["by_commune"]],
        years=[tuple(row) for row in data["years"]],
    )


def compute_sector_stats(
    *, territory: Territory, sector: SectorDefinition | None, at: date
) -> SectorStats:
    """Active establishments on ``at`` (created by then, not closed by then), jobs, breakdowns."""
    everything = territory_establishments(territory)
    in_sector = everything.filter(naf__in=sector.naf_codes) if sector else everything
    active = in_sector.active_on(at)
    by_band = dict(_counts(active, "headcount_band"))
    by_band = {band: n for band, n in by_band.items() if band in HEADCOUNT_BANDS}
    by_departement = dict(sorted(_counts(active, "departement_code")))
    stats = SectorStats(
        territory=territory,
        sector=sector,
        at=at,
        establishments_active=sum(by_departement.values()),
        economy_active=everything.active_on(at).count() if sector else sum(by_departement.values()),
        jobs=jobs_estimate(by_band),
        by_departement=by_departement,
        by_band=by_band,
        by_naf=[],
        by_epci=[],
        by_commune=[],
    )
    naf_counts = _counts(active, "naf")
    labels = dict(
        NafCode.objects.filter(code__in=[c for c, _n in naf_counts]).values_list("code", "label")
    )
    stats.by_naf = sorted(
        ((code, labels.get(code, ""), n) for code, n in naf_counts), key=lambda r: -r[2]
    )
    stats.by_epci = sorted(
        (
            (code or "", name or "Hors EPCI connu", n)
            for code, name, n in _counts(active, "commune__epci__code", "commune__epci__name")
        ),
        key=lambda r: -r[2],
    )
    stats.by_commune = sorted(
        (
            (code, name or code, n)
            for code, name, n in _counts(active, "commune_code", "commune__name")
        ),
        key=lambda r: -r[2],
    )
    created = dict(
        in_sector.filter(created_on__lte=at)
        .annotate(year=ExtractYear("created_on"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = dict(
        in_sector.filter(closed_on__lte=at)
        .annotate(year=ExtractYear("closed_on"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    years = sorted(set(created) | set(closed))
    stats.years = [(y, created.get(y, 0), closed.get(y, 0)) for y in years if y]
    return stats


def active_series(*, territory: Territory, sector: SectorDefinition, dates: list[date]):
    """Active establishments and band counts on each date, in one query."""
    in_sector = territory_establishments(territory).filter(naf__in=sector.naf_codes)
    aggregates = {
        f"d{i}": Count(
            "id",
            filter=(Q(created_on__lte=day) | Q(created_on__isnull=True))
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=day)),
        )
        for i, day in enumerate(dates)
    }
    rows = in_sector.values("headcount_band").annotate(**aggregates).order_by()
    per_date: list[dict[str, int]] = [{} for _ in dates]
    for row in rows:
        if row["headcount_band"] not in HEADCOUNT_BANDS:
            continue
        for i in range(len(dates)):
            per_date[i][row["headcount_band"]] = row[f"d{i}"]
    return per_date


def stats_as_dict(stats: SectorStats) -> dict:
    """The figures in the shape scripts read (``observatory_stats --format json``, the API)."""
    return {
        "territory": stats.territory.key,
        "territory_label": stats.territory.label,
        "sector": stats.sector.slug if stats.sector else None,
        "at": stats.at.isoformat(),
        "establishments_active": stats.establishments_active,
        "economy_active": stats.economy_active,
        "share_of_economy": stats.share_of_economy,
        "jobs_estimate": {
            "low": stats.jobs.low,
            "central": stats.jobs.central,
            "high": stats.jobs.high,
        },
        "by_departement": stats.by_departement,
        "by_headcount_band": stats.by_band,
        "by_naf": {code: n for code, _label, n in stats.by_naf},
        "by_epci": {code: n for code, _name, n in stats.by_epci},
        "creations_closures": [
            {"year": y, "created": c, "closed": f, "net": c - f} for y, c, f in stats.years
        ],
    }


# The register's dates start with the oldest firms; the figures of a day to come are not known.
FIRST_DAY = date(1900, 1, 1)


def at_bounds() -> tuple[date, date]:
    """The days the observatory's figures can be asked for."""
    return FIRST_DAY, timezone.localdate()


def has_demo_establishments(territory: Territory) -> bool:
    return territory_establishments(territory).filter(is_demo=True).exists()


# The contract indicators computed from the register, whose stated baseline the page recalls.
BASELINE_SOURCES = ("observatory.sector_establishments", "observatory.sector_jobs")


def contract_baselines(territory: Territory, sector: str):
    """The published register-computed indicators of the published contracts of the
    territory's région that observe the sector shown (the page is public)."""
    return (
        Indicator.objects.published()
        .filter(
            computed_source__in=BASELINE_SOURCES,
            contract__in=Contract.objects.published(),
            contract__region__code=territory.region_code,
            contract__observed_sector=sector,
        )
        .select_related("contract")
    )


def last_register_import() -> RegisterImport | None:
    return RegisterImport.objects.first()


def sector_definitions():
    """Every sector definition, each version, with its codes (two queries)."""
    return SectorDefinition.objects.prefetch_related("codes").order_by("slug", "-version")


def departement_names() -> dict[str, str]:
    return dict(Departement.objects.values_list("code", "name"))


def observatory_departements() -> list[Departement]:
    """The départements of the régions the observatory offers, with their région (one query):
    the platform's own région (``FILIERE_REGION``) first, then those of the published
    contracts."""
    site = site_region_code()
    departements = Departement.objects.filter(
        Q(region__code=site) | Q(region__in=Contract.objects.published().values("region"))
    ).select_related("region")
    return sorted(departements, key=lambda d: (d.region.code != site, d.region.code, d.code))


def departement_boundaries(departements: tuple[str, ...]) -> list[tuple[str, dict]]:
    """(code, GeoJSON feature) of these départements' outlines."""
    return list(
        Boundary.objects.filter(level="departement", code__in=departements).values_list(
            "code", "feature"
        )
    )


def commune_map(stats: SectorStats, level: str) -> str:
    """The GeoJSON text of the territory's commune outlines, each valued by its commune's
    figure or by its EPCI's (``level``): the outlines' geometry is copied as shipped."""
    epci_of = commune_epci_codes(stats.territory.departements) if level == "epci" else {}
    by_commune = {code: n for code, _name, n in stats.by_commune}
    by_epci = {code: (name, n) for code, name, n in stats.by_epci}
    only = set(stats.territory.communes)
    features = []
    for code, name, geometry in commune_outlines(stats.territory.departements):
        if only and code not in only:
            continue
        if level == "commune":
            value = by_commune.get(code, 0)
        else:
            name, value = by_epci.get(epci_of.get(code), (name, 0))
        properties = json.dumps({"code": code, "name": name, "value": value})
        features.append(f'{{"type":"Feature","properties":{properties},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def commune_epci_codes(departements: tuple[str, ...]) -> dict[str, str | None]:
    """The EPCI of each current commune of these départements, by commune code."""
    communes = Commune.objects.current().filter(departement__code__in=departements)
    return dict(communes.values_list("code", "epci__code"))


def register_imports():
    """The imports started from the page, the latest first."""
    return SireneImport.objects.select_related("started_by")
