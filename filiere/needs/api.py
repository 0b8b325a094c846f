"""JSON endpoint of the matching: the providers the platform suggests for a described need."""

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from engine.matching import Need as EngineNeed
from filiere.directory.models import LegalUnit
from filiere.needs.enums import Domain
from filiere.needs.matching import domain_tag, explanation_as_dict, provider_index
from filiere.territory.models import Commune

router = Router()


class NeedIn(Schema):
    text: str = Field(min_length=3, max_length=5000)
    domain: Domain | None = None
    commune: str | None = Field(default=None, description="Code INSEE de la commune")
    top: int = Field(default=10, ge=1, le=50)


class SuggestionOut(Schema):
    siren: str
    name: str
    score: float
    explanation: dict


@router.post("/suggestions", response=list[SuggestionOut])
def suggestions(request, need: NeedIn):
    """Providers ranked for a need, each with why (words, domains, place, reference)."""
    place = None
    if need.commune:
        place = (
            Commune.objects.current()
            .select_related("departement")
            .filter(code=need.commune)
            .first()
        )
        if place is None:
            raise HttpError(422, f"commune : code inconnu {need.commune!r}")
    ranked = provider_index().rank(
        EngineNeed(
            id="api",
            text=need.text,
            tags=(domain_tag(need.domain),) if need.domain else (),
            departement=place.departement.code if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
        ),
        top=need.top,
    )
    units = LegalUnit.objects.in_bulk([int(s.provider_id) for s in ranked])
    return [
        {
            "siren": units[int(s.provider_id)].siren,
            "name": units[int(s.provider_id)].name,
            "score": round(s.score, 4),
            "explanation": explanation_as_dict(s),
        }
        for s in ranked
        if int(s.provider_id) in units
    ]
