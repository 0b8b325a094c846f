"""Writes of the observatory: sector definitions, and what follows an import of the register."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from filiere.directory.search import directory_changed
from filiere.observatory.models import SectorDefinition, SectorNafCode
from filiere.observatory.selectors import sector_stats
from filiere.observatory.territories import parse_territory


def sector_definition_install(*, spec: dict) -> SectorDefinition:
    """Create a shipped definition if its slug is missing (idempotent)."""
    current = SectorDefinition.objects.filter(slug=spec["slug"], is_current=True).first()
    if current is not None:
        return current
    return sector_definition_create(
        slug=spec["slug"],
        name=spec["name"],
        source=spec["source"],
        description="Définition livrée avec Filière.",
        codes=spec["codes"],
    )


def register_imported(*, departements: tuple[str, ...] = (), years: int = 10) -> None:
    """After an import: the search index and the figures are stale. The figures the pages
    ask for first are computed again now (each région touched and its départements, every
    sector, today and the first day of the last ``years`` years), so that they open fast."""
    directory_changed()
    if not departements:
        return
    from filiere.territory.models import Departement

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


@transaction.atomic
def sector_definition_create(
    *, slug: str, name: str, description: str, source: str, codes: list[tuple[str, str]]
) -> SectorDefinition:
    """A new definition, or a new version of an existing one (which stops being current)."""
    previous = SectorDefinition.objects.select_for_update().filter(slug=slug)
    version = max((d.version for d in previous), default=0) + 1
    previous.update(is_current=False)
    definition = SectorDefinition.objects.create(
        slug=slug,
        version=version,
        name=name,
        description=description,
        source=source,
        is_current=True,
    )
    SectorNafCode.objects.bulk_create(
        SectorNafCode(definition=definition, naf_code=code, comment=comment)
        for code, comment in codes
    )
    return definition
