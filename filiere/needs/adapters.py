"""The needs flow and the matching engine: providers' offers and businesses' needs as the
engine reads them, and the providers' index, built by a worker.

The index is built again (``tasks.rebuild_providers_index``) when an offer, one of its
references or the directory changes (its version reads two aggregates and the directory's
token: one query each); requests use the previous build meanwhile.
"""

from collections.abc import Collection

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from engine.matching import MatchIndex, Suggestion
from filiere.common.indexes import PersistedIndex, load_pickle, save_pickle
from filiere.directory.adapters import explanation_dict, firm_provider, located_need
from filiere.directory.search import directory_version
from filiere.directory.selectors import main_establishments_prefetch
from filiere.needs.enums import Domain
from filiere.needs.models import Need, OfferReference, ProviderOffer


def domain_tag(domain: str) -> str:
    return f"domaine:{domain}"


def offer_provider(offer: ProviderOffer):
    """A published offer as an engine provider: the firm, its offer, domains and references."""
    unit = offer.legal_unit
    return firm_provider(
        unit,
        description=f"{offer.summary}\n{unit.description}",
        tags=tuple(domain_tag(d) for d in offer.domains),
        serves=offer.departements_served,
        references=tuple(
            " — ".join(p for p in (r.title, r.description) if p) for r in offer.references.all()
        ),
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


def offers_version() -> tuple:
    """Changes with the published offers (saving an offer moves its date, references
    included)."""
    offers = ProviderOffer.objects.filter(is_published=True).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    return offers["count"], offers["last"]


def _version() -> tuple:
    return *offers_version(), directory_version()


def _domain_label(value: str) -> str:
    return Domain(value).label if value in Domain.values else value


def offer_passages(units: Collection[int] | None):
    """What the directory searches of each firm's published offer (of these firms', for all
    with ``None``): (legal unit id, what the text is, the text): its presentation, domains and
    references."""
    offers = ProviderOffer.objects.filter(is_published=True)
    references = OfferReference.objects.filter(offer__is_published=True)
    if units is not None:
        offers = offers.filter(legal_unit_id__in=units)
        references = references.filter(offer__legal_unit_id__in=units)
    for unit_id, summary, domains in offers.values_list(
        "legal_unit_id", "summary", "domains"
    ).iterator(2000):
        yield unit_id, _("Offre"), summary
        yield unit_id, _("Domaines"), ", ".join(str(_domain_label(d)) for d in domains)
    references = references.values_list("offer__legal_unit_id", "title", "description", "client")
    for unit_id, title, description, client in references.iterator(2000):
        yield unit_id, _("Référence"), " — ".join(p for p in (title, description, client) if p)


def offer_skills():
    """The domains of the published offers, as skills the directory filters on."""
    offers = ProviderOffer.objects.filter(is_published=True).values_list("legal_unit_id", "domains")
    for unit_id, domains in offers.iterator(2000):
        for domain in domains:
            yield unit_id, domain_tag(domain), _domain_label(domain)


_providers = PersistedIndex(
    "providers",
    task="filiere.needs.tasks.rebuild_providers_index",
    build=lambda: MatchIndex(offer_provider(o) for o in published_offers().order_by("pk")),
    save=save_pickle,
    load=load_pickle,
    version=_version,
)


def providers_changed() -> None:
    """An offer changed: the index is built again once the transaction commits (a request
    finding it stale would ask too, and use the previous build meanwhile)."""
    _providers.rebuild_on_commit()


def rebuild_providers(*, requested_at: str | None = None) -> None:
    """The worker's build of the providers' index (``tasks.rebuild_providers_index``)."""
    _providers.rebuild(requested_at=requested_at)


def _providers_index() -> MatchIndex:
    built = _providers.get()
    return built.value if built else MatchIndex(())


def rank_for_need(need: Need, *, top: int) -> list[Suggestion]:
    """The providers for a posted need, best first."""
    engine_need = located_need(
        str(need.pk), need.text, tags=(domain_tag(need.domain),), place=need.commune
    )
    return _providers_index().rank(engine_need, top=top)


def rank_for_text(text: str, *, domain: str | None, commune, top: int) -> list[Suggestion]:
    """The providers for a need described but not posted (the suggestions API)."""
    engine_need = located_need(
        "api", text, tags=(domain_tag(domain),) if domain else (), place=commune
    )
    return _providers_index().rank(engine_need, top=top)


def suggestion_fields(suggestion: Suggestion) -> dict:
    """What a match keeps of a suggestion: its firm, score and why."""
    return {
        "legal_unit_id": int(suggestion.provider_id),
        "score": round(suggestion.score, 4),
        "explanation": explanation_dict(suggestion.explanation),
    }
