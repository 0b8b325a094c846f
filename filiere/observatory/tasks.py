"""The observatory's background work: the register imports started from its page, the
watch that ends those whose worker stopped, and the figures computed before the pages ask."""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def import_register(self, import_id: int) -> None:
    """Run a queued import (``services.register_import_run``). A database busy or gone for a
    moment is tried again later, under the same task id, which may take the import back."""
    from filiere.observatory import services

    services.register_import_run(import_id=import_id, task_id=self.request.id or "")


@shared_task
def watch_register_imports() -> int:
    """Fail the imports whose worker stopped (beat, every FILIERE_WATCH_SECONDS)."""
    from filiere.observatory import services

    return services.register_imports_watch()


@shared_task
def precompute_observatory(departements: list[str] | None = None, years: int = 10) -> int:
    """Put in the shared cache the figures the pages ask for first, for the register as it
    stands: each région of ``departements`` (the platform's région by default, as beat runs
    it) and its départements today, the région on the first day of each of the last ``years``
    years, for every current sector and for the whole economy. Returns how many it computed
    or found kept."""
    from filiere.observatory.selectors import sector_stats
    from filiere.territory.models import Departement, SectorDefinition
    from filiere.territory.selectors import parse_territory, site_region_code

    regions = (
        set(
            Departement.objects.filter(code__in=departements).values_list("region__code", flat=True)
        )
        if departements
        else {site_region_code()}
    )
    today = timezone.localdate()
    sectors = [None, *SectorDefinition.objects.filter(is_current=True).prefetch_related("codes")]
    views = 0
    for region in sorted(regions):
        territory = parse_territory(f"region:{region}")
        places = [territory] + [parse_territory(f"dep:{d}") for d in territory.departements]
        days = [(place, today) for place in places] + [
            (territory, date(year, 1, 1)) for year in range(today.year - years + 1, today.year + 1)
        ]
        for place, day in days:
            for sector in sectors:
                sector_stats(territory=place, sector=sector, at=day)
                views += 1
    return views
