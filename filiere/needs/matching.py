"""The providers' matching index, kept per process, and the adapters to the engine.

The index is rebuilt when an offer, one of its references or the directory
changes (the key below reads two aggregates: one query).
"""

import threading

from django.db.models import Count, Max

from engine.matching import MatchIndex, Provider, Suggestion
from engine.matching import Need as EngineNeed
from filiere.directory.models import DirectoryVersion
from filiere.directory.selectors import main_establishment, main_establishments_prefetch
from filiere.needs.models import Need, ProviderOffer

_lock = threading.Lock()
_cached: tuple[tuple, MatchIndex] | None = None


def domain_tag(domain: str) -> str:
    return f"domaine:{domain}"


def _key() -> tuple:
    offers = ProviderOffer.objects.filter(is_published=True).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    version = DirectoryVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return offers["count"], offers["last"], version


def offer_as_provider(offer: ProviderOffer) -> Provider:
    unit = offer.legal_unit
    head = main_establishment(unit)
    return Provider(
        id=str(unit.pk),
        name=unit.name,
        description=f"{offer.summary}\n{unit.description}",
        tags=tuple(domain_tag(d) for d in offer.domains)
        + tuple(f"competence:{t.slug}" for t in unit.tags.all()),
        departement=head.departement_code if head else None,
        serves=tuple(offer.departements_served),
        references=tuple(
            " — ".join(p for p in (r.title, r.description) if p) for r in offer.references.all()
        ),
        latitude=head.latitude if head else None,
        longitude=head.longitude if head else None,
    )


def published_offers():
    return (
        ProviderOffer.objects.filter(is_published=True, legal_unit__status="A")
        .select_related("legal_unit")
        .prefetch_related(
            "references",
            "legal_unit__tags",
            main_establishments_prefetch("legal_unit__establishments"),
        )
    )


def provider_index() -> MatchIndex:
    global _cached
    key = _key()
    with _lock:
        if _cached is None or _cached[0] != key:
            providers = [offer_as_provider(o) for o in published_offers().order_by("pk")]
            _cached = (key, MatchIndex(providers))
        return _cached[1]


def need_as_engine_need(need: Need) -> EngineNeed:
    return EngineNeed(
        id=str(need.pk),
        text=need.text,
        tags=(domain_tag(need.domain),),
        departement=need.departement_code,
        latitude=need.commune.latitude,
        longitude=need.commune.longitude,
    )


def explanation_as_dict(suggestion: Suggestion) -> dict:
    e = suggestion.explanation
    return {
        "words": list(e.words),
        "tags": list(e.tags),
        "same_departement": e.same_departement,
        "distance_km": e.distance_km,
        "reference": e.reference,
        "contributions": e.contributions,
    }
