"""Writes of the observatory: what follows an import of the register."""

from datetime import date

from django.utils import timezone

from filiere.directory.search import directory_changed
from filiere.observatory.selectors import sector_stats
from filiere.territory.models import Departement, SectorDefinition
from filiere.territory.selectors import parse_territory


def register_imported(*, departements: tuple[str, ...] = (), years: int = 10) -> None:
    """After an import: the search index and the figures are stale. The figures the pages
    ask for first are computed again now (each région touched and its départements, every
    sector, today and the first day of the last ``years`` years), so that they open fast."""
    directory_changed()
    if not departements:
        return
    regions = set(
        Departement.objects.filter(code__in=departements).values_list("region__code", flat=True)
    )
    today = timezone.localdate()
    sectors = [None, *SectorDefinition.objects.filter(is_current=True).prefetch_related("codes")]
    for region in regions:
        territory = parse_territory(f"region:{region}")
        places = [territory] + [parse_territory(f"dep:{d}") for d in territory.departements]
        for place in places:
            for sector in sectors:
                sector_stats(territory=place, sector=sector, at=today)
        for year in range(today.year - years + 1, today.year + 1):
            for sector in sectors:
                sector_stats(territory=territory, sector=sector, at=date(year, 1, 1))
