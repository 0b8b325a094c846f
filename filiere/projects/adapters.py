"""The projects' rows as the engine reads them: aid schemes and a project's lead as the
eligibility rules see them, the directory's active firms as the consortium builder's
candidates, and the gaps of a project's consortium as its slots.

The gaps: a laboratory when the consortium has none, an end user of the
project's market when it has none (by activity code), and digital firms
bringing the wanted skills nobody in the consortium has.
"""

from dataclasses import dataclass
from datetime import date

from engine.consortium import Slot, suggest_partners
from engine.funding import SIZE_CATEGORIES as SIZE_CATEGORIES  # the API's size filter
from engine.funding import Applicant, Fit, Scheme, eligible_schemes, size_category
from engine.matching import MatchIndex
from filiere.accounts.enums import OrganisationKind
from filiere.common.indexes import PersistedIndex, load_pickle, save_pickle
from filiere.directory.adapters import explanation_dict, firm_need, firm_provider, skill_tag
from filiere.directory.models import LegalUnit
from filiere.directory.search import directory_version
from filiere.directory.selectors import main_establishment, main_establishments_prefetch
from filiere.projects.enums import Market, PartnerKind
from filiere.projects.models import AidScheme, Project
from filiere.territory.models import NafCode


def engine_scheme(scheme: AidScheme) -> Scheme:
    return Scheme(
        id=str(scheme.pk),
        sizes=frozenset(scheme.sizes),
        trl_min=scheme.trl_min,
        trl_max=scheme.trl_max,
        departements=frozenset(scheme.departements),
        themes=frozenset(scheme.themes),
        closes_on=scheme.closes_on,
    )


def project_applicant(project: Project) -> Applicant:
    """The project as an applicant: its lead's size and head office, its stage and market."""
    head = main_establishment(project.lead)
    return Applicant(
        size=size_category(project.lead.headcount_band),
        trl=project.trl,
        departement=(head.departement_code if head else "") or None,
        themes=frozenset({project.market}),
    )


def eligible_fits(schemes, project: Project, *, today: date) -> list[Fit]:
    """How each scheme the project is eligible for fits it, best fit then nearest deadline
    first (``Fit.scheme_id`` is the scheme's pk as text, ``Fit.met`` the criteria it targets:
    ``size``, ``stage``, ``territory``, ``theme``)."""
    return eligible_schemes([engine_scheme(s) for s in schemes], project_applicant(project), today)


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

# The slots of the consortium builder, and the partner kind a firm suggested for each joins as.
LABORATORY, END_USER, SKILLS = "laboratory", "end_user", "skills"
SLOT_PARTNER_KIND = {
    LABORATORY: PartnerKind.LABORATORY,
    END_USER: PartnerKind.END_USER,
    SKILLS: PartnerKind.FIRM,
}


@dataclass(frozen=True)
class Candidates:
    """The directory's active firms, indexed, with each one's (activity code, organisation
    kind) by provider id."""

    index: MatchIndex
    profiles: dict[str, tuple[str, str]]


def _build_candidates() -> Candidates:
    labels = dict(NafCode.objects.filter(level=5).values_list("code", "label"))
    units = (
        LegalUnit.objects.filter(status="A")
        .select_related("organisation")
        .prefetch_related("tags", main_establishments_prefetch())
        .order_by("pk")
    )
    providers, profiles = [], {}
    for unit in units.iterator(chunk_size=2000):
        head = main_establishment(unit)
        naf = unit.naf or (head.naf if head else "")
        description = " ".join(p for p in (unit.description, labels.get(naf, "")) if p)
        providers.append(firm_provider(unit, description=description))
        profiles[str(unit.pk)] = (naf, unit.organisation.kind if unit.organisation_id else "")
    return Candidates(MatchIndex(providers), profiles)


# Built again by a worker (``tasks.rebuild_candidates_index``) when the directory changes;
# requests use the previous build meanwhile.
_candidates = PersistedIndex(
    "candidates",
    task="filiere.projects.tasks.rebuild_candidates_index",
    build=_build_candidates,
    save=save_pickle,
    load=load_pickle,
    version=directory_version,
)


def rebuild_candidates(*, requested_at: str | None = None) -> None:
    """The worker's build of the consortium candidates (``tasks.rebuild_candidates_index``)."""
    _candidates.rebuild(requested_at=requested_at)


def _having(profiles, prefixes: tuple[str, ...], kind: str | None = None) -> frozenset[str]:
    return frozenset(
        pk
        for pk, (naf, org_kind) in profiles.items()
        if (naf and naf.startswith(prefixes)) or (kind is not None and org_kind == kind)
    )


@dataclass(frozen=True)
class SuggestedPartner:
    unit_id: int
    # The wanted skills (engine tags, ``competence:…``) the firm brings.
    brings: tuple[str, ...]
    explanation: dict


def suggested_partners(project: Project, *, per_slot: int = 5) -> dict[str, list[SuggestedPartner]]:
    """Complementary partners for a project, best first, per gap of its consortium (slot);
    none before the candidates' first build (asked of a worker)."""
    built = _candidates.get()
    if built is None:
        return {}
    candidates = built.value
    partners = list(
        project.partners.select_related("legal_unit").prefetch_related("legal_unit__tags")
    )
    kinds = {p.kind for p in partners}
    members = {str(p.legal_unit_id) for p in partners if p.legal_unit_id}
    present = {skill_tag(t.slug) for p in partners if p.legal_unit for t in p.legal_unit.tags.all()}
    wanted = [skill_tag(t.slug) for t in project.skills_wanted.all()]
    profiles = candidates.profiles
    slots = []
    if PartnerKind.LABORATORY not in kinds:
        slots.append(
            Slot(LABORATORY, _having(profiles, LABORATORY_NAF, OrganisationKind.LABORATORY))
        )
    if PartnerKind.END_USER not in kinds and project.market in END_USER_NAF:
        slots.append(Slot(END_USER, _having(profiles, END_USER_NAF[project.market])))
    slots.append(
        Slot(
            SKILLS,
            _having(profiles, DIGITAL_NAF),
            missing_tags=tuple(t for t in wanted if t not in present),
        )
    )
    idea = firm_need(
        f"project-{project.pk}", f"{project.title} {project.summary}", unit=project.lead
    )
    found = suggest_partners(candidates.index, idea, members, slots, per_slot=per_slot)
    return {
        slot: [
            SuggestedPartner(
                unit_id=int(p.suggestion.provider_id),
                brings=p.brings,
                explanation=explanation_dict(p.suggestion.explanation),
            )
            for p in suggestions
        ]
        for slot, suggestions in found.items()
    }
