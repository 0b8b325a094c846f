"""The BM25 index saved and loaded back, and documents added after its build scored as a
rebuild would score them."""

import numpy as np
import pytest

from engine.search import Added, TextIndex

CORPUS = {
    "a": "Développement de logiciels à Caen",
    "b": "Boulangerie pâtisserie à Caen",
    "c": "Sécurité des réseaux informatiques",
    "d": "Logiciels libres et réseaux, développement web",
    "e": "Conseil en informatique de gestion",
}


def test_an_index_saved_and_loaded_answers_the_same(tmp_path):
    index = TextIndex(list(CORPUS), list(CORPUS.values()))
    index.save(tmp_path)
    loaded = TextIndex.load(tmp_path)
    for query in ("logiciel caen", "reseaux", "boulanger"):
        assert loaded.search(query) == index.search(query)
    assert loaded.search("logiciel", among={"b", "d"}) == [("d", index.search("logiciel")[1][1])]
    empty = tmp_path / "empty"
    empty.mkdir()
    TextIndex([], []).save(empty)
    assert TextIndex.load(empty).search("caen") == []


def test_the_index_own_documents_added_again_score_as_in_the_index():
    index = TextIndex(list(CORPUS), list(CORPUS.values()))
    added = Added.of(list(CORPUS.values()))
    for query in ("logiciel caen", "développement web réseaux réseaux", "inconnu"):
        assert index.score_added(query, added) == pytest.approx(index.scores(query), rel=1e-6)


def test_a_document_changed_scores_as_after_a_rebuild():
    """« c » now speaks of cryogenics, a word the index has never seen: its stale row left
    out and its new text scored with the index's statistics, the scores are a full rebuild's
    (the text keeps its length, so the mean length is the rebuild's too). Only the words the
    change took away (« informatique ») keep their former frequency until the next build."""
    index = TextIndex(list(CORPUS), list(CORPUS.values()))
    changed = {**CORPUS, "c": "Sécurité des réseaux cryogéniques"}
    rebuilt = TextIndex(list(changed), list(changed.values()))
    for query in ("cryogénie réseau", "sécurité", "réseaux logiciels"):
        scores = index.scores(query)
        scores[list(CORPUS).index("c")] = 0
        merged = dict(zip(CORPUS, scores.tolist(), strict=True))
        merged["c"] = float(index.score_added(query, Added.of([changed["c"]]))[0])
        expected = dict(zip(changed, rebuilt.scores(query).tolist(), strict=True))
        assert merged == pytest.approx(expected, rel=1e-6)


def test_an_empty_index_scores_added_documents_with_their_own_statistics():
    added = Added.of(["logiciels à Caen", "boulangerie"])
    alone = TextIndex(["x", "y"], ["logiciels à Caen", "boulangerie"])
    scores = TextIndex([], []).score_added("logiciel", added)
    assert scores == pytest.approx(alone.scores("logiciel"), rel=1e-6)
    assert np.all(TextIndex([], []).score_added("les", added) == 0)
