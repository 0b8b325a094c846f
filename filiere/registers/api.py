"""JSON endpoint of the third places: the public register, filtered as on its page."""

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from filiere.registers import selectors
from filiere.registers.enums import ThirdPlaceStatus

router = Router()


class PlaceFilters(Schema):
    status: ThirdPlaceStatus | None = None
    departement: str | None = Field(default=None, max_length=3)


class PlaceOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    city: str
    departement_code: str
    latitude: float | None
    longitude: float | None
    status: str
    applied_on: date | None
    decided_on: date | None
    source: str
    is_demo: bool


@router.get("/third-places", response=list[PlaceOut])
def third_places(request, filters: Query[PlaceFilters]):
    """Third places with their labelling state; ``is_demo`` marks a generated decision."""
    return selectors.third_places(
        status=filters.status or "", departement=filters.departement or ""
    )
