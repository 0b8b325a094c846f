"""JSON endpoint of the aid catalogue: the published schemes, searched and filtered as on the
catalogue page."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from filiere.projects.adapters import SIZE_CATEGORIES
from filiere.projects.enums import AidForm, AidLevel, Market
from filiere.projects.selectors import search_schemes

router = Router()


class SchemeFilters(Schema):
    q: str = Field(default="", max_length=200, description="Mots-clés (recherche en français)")
    market: Market | None = None
    size: Literal[SIZE_CATEGORIES] | None = None
    form: AidForm | None = None
    level: AidLevel | None = None
    open_only: bool = False


class SchemeOut(Schema):
    uid: str
    title: str
    promise: str
    description: str
    eligibility: str
    form: str
    level: str
    funder: str
    rate: str
    ceiling: float | None
    sizes: list[str]
    trl_min: int | None
    trl_max: int | None
    departements: list[str]
    themes: list[str]
    opens_on: date | None
    closes_on: date | None
    url: str
    is_demo: bool


@router.get("/aid-schemes", response=list[SchemeOut])
def aid_schemes(request, filters: Query[SchemeFilters]):
    """Published aid schemes: by relevance when words are given, else by nearest deadline."""
    criteria = filters.dict()
    schemes = search_schemes(criteria, today=timezone.localdate())
    return [
        {
            **{name: getattr(s, name) for name in SchemeOut.model_fields if name != "uid"},
            "uid": str(s.uid),
            "ceiling": float(s.ceiling) if s.ceiling is not None else None,
        }
        for s in schemes
    ]
