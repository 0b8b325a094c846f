import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.evaluation import evaluate, ndcg_at, reciprocal_rank
from engine.matching import MatchIndex, Need, Provider, Weights
from engine.matching_files import MatchingFileError, read_needs, read_providers

PROVIDERS = [
    Provider(
        id="web",
        name="Atelier Pixel",
        description="Création de sites internet et de boutiques en ligne",
        tags=("domaine:web", "cpv:72", "cpv:7241"),
        departement="14",
        references=("Boutique en ligne d'une cave à cidre", "Site vitrine d'un hôtel"),
    ),
    Provider(
        id="erp",
        name="Gestion Plus",
        description="Intégration de logiciels de gestion (ERP), comptabilité et facturation",
        tags=("domaine:erp", "cpv:48", "cpv:4844"),
        departement="76",
    ),
    Provider(
        id="cyber",
        name="Rempart",
        description="Audit de cybersécurité, tests d'intrusion, sauvegardes",
        tags=("domaine:cyber", "cpv:72", "cpv:7226"),
        departement="76",
        serves=("14", "50"),
    ),
]


@pytest.fixture(scope="module")
def index():
    return MatchIndex(PROVIDERS)


def test_the_provider_whose_words_match_comes_first(index):
    ranked = index.rank(Need(id="n", text="Je veux vendre mes cidres sur une boutique en ligne"))
    assert ranked[0].provider_id == "web"
    explanation = ranked[0].explanation
    assert {"boutique", "ligne"} <= set(explanation.words)
    assert explanation.reference == "Boutique en ligne d'une cave à cidre"


def test_words_meet_across_accents_and_inflections(index):
    ranked = index.rank(Need(id="n", text="securite informatique : un AUDIT de cyber-sécurités"))
    assert ranked[0].provider_id == "cyber"
    assert "audit" in ranked[0].explanation.words


def test_a_deeper_shared_code_answers_a_broader_one_and_says_which(index):
    # No word in common: the hierarchical tag decides. cpv:7226 is under cpv:72.
    ranked = index.rank(Need(id="n", text="zzz", tags=("cpv:7226",)))
    assert ranked[0].provider_id == "cyber"
    assert ranked[0].explanation.tags == ("cpv:7226",)
    # A need tagged only cpv:72 reaches both providers under it, before the ERP one.
    broad = [s.provider_id for s in index.rank(Need(id="n", text="zzz", tags=("cpv:72",)))]
    assert set(broad[:2]) == {"web", "cyber"}


def test_the_area_served_counts_as_the_same_departement(index):
    ranked = index.rank(Need(id="n", text="zzz", departement="50"))
    assert ranked[0].provider_id == "cyber"
    assert ranked[0].explanation.same_departement


def test_distance_is_given_when_both_places_are_known():
    index = MatchIndex(
        [
            Provider(id="caen", description="site web", latitude=49.18, longitude=-0.37),
            Provider(id="rouen", description="site web", latitude=49.44, longitude=1.10),
        ]
    )
    ranked = index.rank(Need(id="n", text="site web", latitude=49.19, longitude=-0.36))
    assert [s.provider_id for s in ranked] == ["caen", "rouen"]
    assert ranked[0].explanation.distance_km < 2
    assert 100 < ranked[1].explanation.distance_km < 120


def test_each_signal_contribution_adds_up_to_the_score(index):
    for suggestion in index.rank(Need(id="n", text="site internet", tags=("cpv:72",)), top=3):
        parts = suggestion.explanation.contributions
        assert set(parts) == {"text", "tags", "same_departement", "proximity"}
        assert sum(parts.values()) == pytest.approx(suggestion.score, abs=0.01)


def test_a_zero_weight_switches_a_signal_off():
    index = MatchIndex(PROVIDERS, Weights(text=0, tags=0, same_departement=1, proximity=0))
    ranked = index.rank(Need(id="n", text="boutique en ligne", departement="76"), top=3)
    assert {s.provider_id for s in ranked[:2]} == {"erp", "cyber"}


def test_empty_index_and_duplicates():
    assert MatchIndex([]).rank(Need(id="n", text="site")) == []
    with pytest.raises(ValueError, match="twice"):
        MatchIndex([Provider(id="a"), Provider(id="a")])


words = st.sampled_from(
    ["site", "web", "boutique", "audit", "gestion", "cidre", "logiciel", "hôtel"]
)
providers_strategy = st.lists(
    st.builds(
        Provider,
        id=st.uuids().map(str),
        description=st.lists(words, max_size=8).map(" ".join),
        tags=st.lists(st.sampled_from(["cpv:72", "cpv:7226", "cpv:48"]), max_size=2).map(tuple),
        departement=st.sampled_from([None, "14", "27", "50", "61", "76"]),
    ),
    max_size=25,
    unique_by=lambda p: p.id,
)


@settings(max_examples=60, deadline=None)
@given(
    providers=providers_strategy,
    text=st.lists(words, min_size=1, max_size=5).map(" ".join),
    top=st.integers(0, 30),
)
def test_ranking_properties(providers, text, top):
    need = Need(id="n", text=text, departement="14", tags=("cpv:7226",))
    ranked = MatchIndex(providers).rank(need, top=top)
    ids = [s.provider_id for s in ranked]
    assert len(ids) == len(set(ids)) == min(top, len(providers))
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    # The order of the providers in the index changes no score.
    reversed_scores = {
        s.provider_id: s.score for s in MatchIndex(providers[::-1]).rank(need, top=len(providers))
    }
    for suggestion in ranked:
        assert reversed_scores[suggestion.provider_id] == pytest.approx(suggestion.score)


def test_ties_are_broken_by_index_order_even_at_the_cut():
    """Providers with the same profile score the same; the first ones in the index come first,
    also when the tie straddles the last place asked for (a partial sort would pick any)."""
    twins = [Provider(id=f"p{i:02d}", description="pose de carrelage") for i in range(40)]
    index = MatchIndex([Provider(id="other", description="audit comptable"), *twins])
    need = Need(id="n", text="carrelage")
    for top in (1, 5, 17, 39):
        assert [s.provider_id for s in index.rank(need, top=top)] == [t.id for t in twins[:top]]


def test_measures():
    assert ndcg_at(["a", "b"], {"a"}, 10) == 1.0
    assert ndcg_at(["b", "a"], {"a"}, 10) == pytest.approx(1 / 1.585, abs=1e-3)
    assert ndcg_at(["b", "a"], {"a"}, 1) == 0.0
    assert reciprocal_rank(["b", "c", "a"], {"a"}) == pytest.approx(1 / 3)
    quality = evaluate({"q1": ["a"], "q2": ["x"]}, {"q1": {"a"}, "q2": {"b"}, "q3": {"c"}})
    assert quality.queries == 3
    assert quality.ndcg == pytest.approx(1 / 3)
    assert quality.recall == pytest.approx(1 / 3)


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_files_with_extra_and_missing_optional_fields_are_read(tmp_path):
    providers = read_providers(
        write_lines(
            tmp_path / "p.jsonl",
            [
                json.dumps({"id": "1", "name": "A", "description": "x", "siret": "ignored"}),
                json.dumps({"id": "2", "tags": ["cpv:72"], "departement": "2A"}),
                "",
            ],
        )
    )
    assert [p.id for p in providers] == ["1", "2"]
    assert providers[1].departement == "2A"
    needs = read_needs(write_lines(tmp_path / "n.jsonl", [json.dumps({"id": 7, "text": "site"})]))
    assert needs[0].id == "7"
    assert needs[0].tags == ()


def test_every_bad_line_is_located(tmp_path):
    path = write_lines(
        tmp_path / "n.jsonl",
        [
            json.dumps({"id": "a", "text": "ok"}),
            '{"id": "b", "text": ',
            json.dumps({"id": "c"}),
            json.dumps({"id": "d", "text": "x", "tags": "cpv:72"}),
            json.dumps({"id": "a", "text": "again"}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": "e", "text": "x", "departement": "Calvados"}),
        ],
    )
    with pytest.raises(MatchingFileError) as caught:
        read_needs(path)
    messages = [str(p) for p in caught.value.problems]
    assert [p.line for p in caught.value.problems] == [2, 3, 4, 5, 6, 7]
    assert "JSON invalide" in messages[0]
    assert "champ « text »" in messages[1]
    assert "champ « tags »" in messages[2]
    assert "déjà vu ligne 1" in messages[3]
    assert "champ « departement »" in messages[5]
    assert all(m.startswith(f"{path}, ligne") for m in messages)


def test_a_line_that_is_not_utf8_is_located(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "\xe9"}\n')
    with pytest.raises(MatchingFileError) as caught:
        read_providers(path)
    assert caught.value.problems[0].line == 2
