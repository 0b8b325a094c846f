"""Contract indicators computed from the register: the establishments and jobs of the sector a
contract observes (``Contract.observed_sector``), in its région."""

from datetime import date
from decimal import Decimal

from engine.register.jobs import jobs_estimate
from filiere.directory.models import Establishment
from filiere.observatory.selectors import active_series, territory_establishments
from filiere.programme.sources import register_source
from filiere.territory.models import SectorDefinition, SectorNafCode
from filiere.territory.selectors import current_sector, parse_territory


def _region(contract):
    """The contract's région as a territory, read once per contract object."""
    if not hasattr(contract, "_observatory_territory"):
        contract._observatory_territory = parse_territory(f"region:{contract.region.code}")
    return contract._observatory_territory


def _series(contract, dates: list[date]) -> list[dict[str, int]]:
    """Band counts on each date, shared by the two sources within one page."""
    cache = contract.__dict__.setdefault("_observatory_series", {})
    key = tuple(dates)
    if key not in cache:
        sector = current_sector(contract.observed_sector)
        cache[key] = (
            active_series(territory=_region(contract), sector=sector, dates=dates)
            if sector
            else [{} for _ in dates]
        )
    return cache[key]


def _demo_register(contract) -> bool:
    return territory_establishments(_region(contract)).filter(is_demo=True).exists()


@register_source(
    "observatory.sector_establishments",
    "Établissements actifs de la filière observée dans la région (registre SIRENE)",
    uses_demo_data=_demo_register,
    reads=(Establishment, SectorDefinition, SectorNafCode),
)
def sector_establishments(contract, dates: list[date]) -> list[Decimal]:
    return [Decimal(sum(bands.values())) for bands in _series(contract, dates)]


@register_source(
    "observatory.sector_jobs",
    "Emplois salariés estimés de la filière observée dans la région (estimation centrale)",
    uses_demo_data=_demo_register,
    reads=(Establishment, SectorDefinition, SectorNafCode),
)
def sector_jobs(contract, dates: list[date]) -> list[Decimal]:
    return [Decimal(jobs_estimate(bands).jobs) for bands in _series(contract, dates)]
