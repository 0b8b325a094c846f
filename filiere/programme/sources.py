"""The registry of computed indicator sources.

A source is a name and a function that gives an indicator's values on a list
of dates from the platform's own data. Each app registers its sources in its
``AppConfig.ready``; ``programme`` computes through this registry and imports
no other app. A source names the models it reads: their writes renew the
version of the figures kept in the shared cache (``programme.figures``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from filiere.programme.figures import watch

SeriesFunction = Callable[["object", list[date]], list[Decimal]]


@dataclass(frozen=True)
class Breakdown:
    """An indicator's value on a date split by one of its facts (the campaign a need came
    through…): ``parts(contract, day)`` gives ``(part, value)`` pairs, in order."""

    label: str
    parts: Callable[["object", date], list[tuple[str, Decimal]]]


@dataclass(frozen=True)
class IndicatorSource:
    name: str
    label: str
    series: SeriesFunction
    # Whether the values come (partly) from demo data, to flag them as such.
    uses_demo_data: Callable[[object], bool] = lambda contract: False
    breakdown: Breakdown | None = None


_SOURCES: dict[str, IndicatorSource] = {}


def register_source(
    name: str,
    label: str,
    uses_demo_data: Callable[[object], bool] | None = None,
    *,
    reads: tuple = (),
    breakdown: Breakdown | None = None,
) -> Callable[[SeriesFunction], SeriesFunction]:
    """Decorator: ``series(contract, dates)`` returns one value per date, in order, from the
    rows of the models ``reads`` names (each save or deletion of one renews the figures;
    a write that sends no signal calls ``figures.figures_changed``)."""
    watch(*reads)

    def decorate(series: SeriesFunction) -> SeriesFunction:
        if name in _SOURCES:
            raise ValueError(f"Indicator source {name!r} is registered twice")
        _SOURCES[name] = IndicatorSource(
            name=name,
            label=label,
            series=series,
            uses_demo_data=uses_demo_data or (lambda contract: False),
            breakdown=breakdown,
        )
        return series

    return decorate


def get_source(name: str) -> IndicatorSource | None:
    return _SOURCES.get(name)


def cumulative_counts(contract, days, dates: list[date]) -> list[Decimal]:
    """How many of ``days`` fall between the contract's start and each date: a cumulative
    indicator's series (what happened before the contract is not its work)."""
    days = [d for d in days if d >= contract.start_date]
    return [Decimal(sum(1 for d in days if d <= day)) for day in dates]


def region_departement_codes(contract) -> list[str]:
    """The codes of the contract région's départements, read once per contract object."""
    cache = contract.__dict__
    if "_departement_codes" not in cache:
        cache["_departement_codes"] = list(
            contract.region.departements.values_list("code", flat=True)
        )
    return cache["_departement_codes"]


def registered_sources() -> list[tuple[str, str]]:
    """The registered sources as (name, label), by label: the choices of an indicator's form."""
    return sorted(((s.name, str(s.label)) for s in _SOURCES.values()), key=lambda pair: pair[1])
