"""JSON endpoint of the matching: the providers the platform suggests for a described need."""

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from filiere.directory.adapters import explanation_dict
from filiere.directory.models import LegalUnit
from filiere.needs.adapters import rank_for_text
from filiere.needs.enums import Domain
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
    ranked = rank_for_text(need.text, domain=need.domain, commune=place, top=need.top)
    units = LegalUnit.objects.in_bulk([int(s.provider_id) for s in ranked])
    return [
        {
            "siren": units[int(s.provider_id)].siren,
            "name": units[int(s.provider_id)].name,
            "score": round(s.score, 4),
            "explanation": explanation_dict(s.explanation),
        }
        for s in ranked
        if int(s.provider_id) in units
    ]
