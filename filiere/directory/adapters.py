"""The directory's firms and places as the matching engine reads them.

The one place where a firm becomes an engine ``Provider`` and a place the
location of an engine ``Need``: the needs' provider index, the consortium
builder and the suggestions API all build their engine objects here.
"""

from engine.matching import Explanation, Need, Provider
from filiere.directory.models import Establishment, LegalUnit
from filiere.directory.selectors import main_establishment


def skill_tag(slug: str) -> str:
    """The engine tag of a skill members put on their profile (``competence:erp``)."""
    return f"competence:{slug}"


def skill_tags(unit: LegalUnit) -> tuple[str, ...]:
    return tuple(skill_tag(tag.slug) for tag in unit.tags.all())


def _where(place) -> tuple[str | None, float | None, float | None]:
    """(département, latitude, longitude) of an establishment, a commune or nowhere."""
    if place is None:
        return None, None, None
    if isinstance(place, Establishment):
        return place.departement_code or None, place.latitude, place.longitude
    return place.departement.code, place.latitude, place.longitude


def firm_provider(
    unit: LegalUnit, *, description: str, tags=(), serves=(), references=()
) -> Provider:
    """A firm as a provider: its name, what it says of itself, its skills (and ``tags``),
    and the place of its main establishment."""
    departement, latitude, longitude = _where(main_establishment(unit))
    return Provider(
        id=str(unit.pk),
        name=unit.name,
        description=description,
        tags=tuple(tags) + skill_tags(unit),
        departement=departement,
        serves=tuple(serves),
        references=tuple(references),
        latitude=latitude,
        longitude=longitude,
    )


def located_need(id: str, text: str, *, tags=(), place=None) -> Need:
    """A need (or a project's idea) placed at a commune, an establishment, or nowhere."""
    departement, latitude, longitude = _where(place)
    return Need(
        id=id,
        text=text,
        tags=tuple(tags),
        departement=departement,
        latitude=latitude,
        longitude=longitude,
    )


def firm_need(id: str, text: str, *, unit: LegalUnit, tags=()) -> Need:
    """A need placed where a firm is (its main establishment)."""
    return located_need(id, text, tags=tags, place=main_establishment(unit))


def explanation_dict(explanation: Explanation) -> dict:
    """Why a provider is suggested, as stored with a match and shown on the pages."""
    return {
        "words": list(explanation.words),
        "tags": list(explanation.tags),
        "same_departement": explanation.same_departement,
        "distance_km": explanation.distance_km,
        "reference": explanation.reference,
        "contributions": explanation.contributions,
    }
