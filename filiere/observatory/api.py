"""JSON endpoint of the observatory: the figures of a territory × sector × date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from filiere.observatory.selectors import observatory_scope, sector_stats, stats_as_dict

router = Router()


@router.get("/stats")
def observatory_stats(request, territory: str, sector: str = "", at: date | None = None) -> dict:
    """Active establishments, job estimates and breakdowns (same figures as the page)."""
    try:
        place, definition = observatory_scope(territory, sector)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    day = at or timezone.localdate()
    return stats_as_dict(sector_stats(territory=place, sector=definition, at=day))
