"""JSON endpoint of the observatory: the figures of a territory × sector × date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from filiere.observatory.selectors import current_sector, sector_stats, stats_as_dict
from filiere.observatory.territories import parse_territory

router = Router()


@router.get("/stats")
def observatory_stats(request, territory: str, sector: str = "", at: date | None = None) -> dict:
    """Active establishments, job estimates and breakdowns (same figures as the page)."""
    try:
        place = parse_territory(territory)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    definition = current_sector(sector) if sector else None
    if sector and definition is None:
        raise HttpError(422, f"Filière inconnue : {sector}")
    day = at or timezone.localdate()
    return stats_as_dict(sector_stats(territory=place, sector=definition, at=day))
