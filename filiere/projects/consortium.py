"""The consortium builder's adapter: the directory's active firms and bodies as candidates.

Each firm becomes an engine provider (name, presentation, activity label,
skills as ``competence:`` tags, head office place). The gaps of a project's
consortium become slots: a laboratory when it has none, an end user of the
project's market when it has none (by activity code), and digital firms
bringing the wanted skills nobody in the consortium has.
"""

import threading
from types import SimpleNamespace

from engine.consortium import PartnerSuggestion, Slot, suggest_partners
from engine.matching import MatchIndex, Need, Provider
from filiere.accounts.enums import OrganisationKind
from filiere.directory.models import LegalUnit
from filiere.directory.search import directory_version
from filiere.directory.selectors import main_establishment, main_establishments_prefetch
from filiere.projects.enums import Market, PartnerKind
from filiere.projects.models import Project
from filiere.territory.models import NafCode

# Activity codes (NAF prefixes) of each kind of partner.
LABORATORY_NAF = ("72.1", "85.42")
DIGITAL_NAF = ("58.2", "62.", "63.1")
END_USER_NAF: dict[str, tuple[str, ...]] = {
    Market.HEALTH: ("86.", "87.", "21.", "32.50"),
    Market.TOURISM: ("55.", "56.", "79.", "93.2"),
    Market.AGRICULTURE: ("01.", "03.", "10.", "11.", "46.2", "46.3"),
    Market.PORT_LOGISTICS: ("49.", "50.", "52.", "53."),
    Market.INDUSTRY: tuple(f"{n:02d}." for n in range(10, 34)),
    Market.ENERGY: ("35.", "36.", "37.", "38.", "39."),
}

_lock = threading.Lock()
_cached: tuple[str, MatchIndex, dict[str, tuple[str, str]]] | None = None


def _skill(slug: str) -> str:
    return f"competence:{slug}"


def _candidates() -> tuple[list[Provider], dict[str, tuple[str, str]]]:
    labels = dict(NafCode.objects.filter(level=5).values_list("code", "label"))
    units = (
        LegalUnit.objects.filter(status="A")
        .select_related("organisation")
        .prefetch_related(
            "tags",
            main_establishments_prefetch(),
        )
        .order_by("pk")
    )
    providers, profiles = [], {}
    for unit in units.iterator(chunk_size=2000):
        head = main_establishment(unit)
        naf = unit.naf or (head.naf if head else "")
        kind = unit.organisation.kind if unit.organisation_id else ""
        providers.append(
            Provider(
                id=str(unit.pk),
                name=unit.name,
                description=" ".join(p for p in (unit.description, labels.get(naf, "")) if p),
                tags=tuple(_skill(t.slug) for t in unit.tags.all()),
                departement=head.departement_code if head else None,
                latitude=head.latitude if head else None,
                longitude=head.longitude if head else None,
            )
        )
        profiles[str(unit.pk)] = (naf, kind)
    return providers, profiles


def _index() -> tuple[MatchIndex, dict[str, tuple[str, str]]]:
    global _cached
    version = directory_version()
    with _lock:
        if _cached is None or _cached[0] != version:
            providers, profiles = _candidates()
            _cached = (version, MatchIndex(providers), profiles)
        return _cached[1], _cached[2]


def _having(profiles, prefixes: tuple[str, ...], kind: str | None = None) -> frozenset[str]:
    return frozenset(
        pk
        for pk, (naf, org_kind) in profiles.items()
        if (naf and naf.startswith(prefixes)) or (kind is not None and org_kind == kind)
    )


def suggest(project: Project, *, per_slot: int = 5) -> dict[str, list[PartnerSuggestion]]:
    """Complementary partners for a project, per gap of its consortium."""
    index, profiles = _index()
    partners = list(
        project.partners.select_related("legal_unit").prefetch_related("legal_unit__tags")
    )
    kinds = {p.kind for p in partners}
    members = {str(p.legal_unit_id) for p in partners if p.legal_unit_id}
    present = {_skill(t.slug) for p in partners if p.legal_unit for t in p.legal_unit.tags.all()}
    wanted = [_skill(t.slug) for t in project.skills_wanted.all()]
    slots = []
    if PartnerKind.LABORATORY not in kinds:
        slots.append(
            Slot("laboratory", _having(profiles, LABORATORY_NAF, OrganisationKind.LABORATORY))
        )
    if PartnerKind.END_USER not in kinds and project.market in END_USER_NAF:
        slots.append(Slot("end_user", _having(profiles, END_USER_NAF[project.market])))
    slots.append(
        Slot(
            "skills",
            _having(profiles, DIGITAL_NAF),
            missing_tags=tuple(t for t in wanted if t not in present),
        )
    )
    head = main_establishment(project.lead)
    idea = Need(
        id=f"project-{project.pk}",
        text=f"{project.title} {project.summary}",
        departement=head.departement_code if head else None,
        latitude=head.latitude if head else None,
        longitude=head.longitude if head else None,
    )
    return suggest_partners(index, idea, members, slots, per_slot=per_slot)


SLOT_PARTNER_KIND = {
    "laboratory": PartnerKind.LABORATORY,
    "end_user": PartnerKind.END_USER,
    "skills": PartnerKind.FIRM,
}


def suggestion_rows(project: Project, *, per_slot: int = 5) -> dict[str, list[SimpleNamespace]]:
    """The suggestions as the page shows them: the firm, its partner kind, the reasons."""
    slots = suggest(project, per_slot=per_slot)
    ids = [int(p.suggestion.provider_id) for found in slots.values() for p in found]
    units = LegalUnit.objects.in_bulk(ids)
    return {
        kind: [
            SimpleNamespace(
                unit=units[int(p.suggestion.provider_id)],
                kind=SLOT_PARTNER_KIND[kind],
                brings=[t.partition(":")[2].replace("-", " ") for t in p.brings],
                explanation={
                    "words": p.suggestion.explanation.words,
                    "tags": p.suggestion.explanation.tags,
                    "same_departement": p.suggestion.explanation.same_departement,
                    "distance_km": p.suggestion.explanation.distance_km,
                },
            )
            for p in found
        ]
        for kind, found in slots.items()
    }
