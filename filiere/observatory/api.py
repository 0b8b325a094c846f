"""JSON endpoint of the observatory: the figures of a territory × sector × date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from filiere.common.api import REFUSALS
from filiere.common.bounds import date_within
from filiere.observatory.selectors import at_bounds, observatory_scope, sector_stats, stats_as_dict

router = Router()


@router.get("/stats", response={200: dict, **REFUSALS})
def observatory_stats(request, territory: str, sector: str = "", at: date | None = None) -> dict:
    """Active establishments, job estimates and breakdowns (same figures as the page)."""
    try:
        place, definition = observatory_scope(territory, sector)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    day = timezone.localdate()
    if at is not None:
        low, high = at_bounds()
        day = date_within(at, start=low, end=high, field="at")
    return stats_as_dict(sector_stats(territory=place, sector=definition, at=day))
