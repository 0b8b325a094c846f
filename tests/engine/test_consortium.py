from engine.consortium import Slot, suggest_partners
from engine.matching import MatchIndex, Need, Provider

PROVIDERS = [
    Provider(
        id="lab",
        name="Laboratoire d'imagerie médicale",
        description="Recherche en imagerie et intelligence artificielle pour le diagnostic",
    ),
    Provider(id="lab2", name="Laboratoire de chimie", description="Chimie des matériaux"),
    Provider(
        id="clinic",
        name="Clinique du Parc",
        description="Établissement de santé, imagerie médicale",
    ),
    Provider(
        id="data",
        name="Data Normandie",
        description="Intelligence artificielle et données",
        tags=("competence:ia",),
        departement="14",
    ),
    Provider(
        id="web",
        name="Atelier Pixel",
        description="Sites internet",
        tags=("competence:web",),
        departement="14",
    ),
    Provider(
        id="lead",
        name="Radiologie Connectée",
        description="Imagerie médicale",
        tags=("competence:web",),
    ),
]
INDEX = MatchIndex(PROVIDERS)
IDEA = Need(
    id="idea",
    text="Diagnostic assisté par intelligence artificielle en imagerie médicale",
    departement="14",
)


def test_each_slot_is_filled_from_its_own_candidates_ranked_by_the_idea():
    found = suggest_partners(
        INDEX,
        IDEA,
        members={"lead"},
        slots=[
            Slot("laboratory", frozenset({"lab", "lab2"})),
            Slot("end_user", frozenset({"clinic"})),
            Slot("skills", frozenset({"data", "web", "lead"}), missing_tags=("competence:ia",)),
        ],
    )
    assert [p.suggestion.provider_id for p in found["laboratory"]] == ["lab", "lab2"]
    assert [p.suggestion.provider_id for p in found["end_user"]] == ["clinic"]
    skills = found["skills"]
    # Members are never suggested; the missing skill ranks its holder first and is named.
    assert [p.suggestion.provider_id for p in skills] == ["data", "web"]
    assert skills[0].brings == ("competence:ia",)
    assert skills[1].brings == ()
    assert "intelligence" in skills[0].suggestion.explanation.words


def test_an_empty_slot_gives_no_suggestion():
    found = suggest_partners(
        INDEX, IDEA, members={"lab"}, slots=[Slot("laboratory", frozenset({"lab"}))]
    )
    assert found == {"laboratory": []}


def test_rank_among_restricts_without_changing_the_order():
    everyone = [s.provider_id for s in INDEX.rank(IDEA, top=6)]
    some = [s.provider_id for s in INDEX.rank(IDEA, top=6, among={"web", "lab", "unknown"})]
    assert some == [p for p in everyone if p in {"web", "lab"}]
