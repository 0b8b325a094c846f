import pytest

from engine.geo import lambert93_to_wgs84
from engine.register.jobs import JobsEstimate, jobs_estimate
from engine.register.reader import territory_condition
from engine.search import TextIndex, fold


def test_jobs_estimate_by_hand():
    # 3 × "01" (1–2), 2 × "11" (10–19), 1 × "NN", 1 × "53" (10 000+, capped)
    estimate = jobs_estimate({"01": 3, "11": 2, "NN": 1, "53": 1})
    assert estimate == JobsEstimate(
        low=3 * 1 + 2 * 10 + 10_000,
        central=3 * 1.5 + 2 * 14.5 + 12_500,
        high=3 * 2 + 2 * 19 + 20_000,
    )
    with pytest.raises(ValueError, match="99"):
        jobs_estimate({"99": 1})


def test_lambert93_reference_points():
    assert lambert93_to_wgs84(700000, 6600000) == pytest.approx((46.5, 3.0), abs=1e-9)
    # Paris, Notre-Dame: 48.8566 N, 2.3522 E (a few metres' tolerance).
    assert lambert93_to_wgs84(652469.0, 6862035.0) == pytest.approx((48.8566, 2.3522), abs=1e-3)


def test_territory_condition_handles_overseas_codes():
    sql = territory_condition(["14", "971"])
    assert "left(codeCommuneEtablissement, 2) IN ('14')" in sql
    assert "left(codeCommuneEtablissement, 3) IN ('971')" in sql
    assert territory_condition([]) == "TRUE"


def test_french_search_folds_accents_and_stems():
    index = TextIndex(
        ["a", "b", "c"],
        ["Développement de logiciels à Caen", "Boulangerie pâtisserie", "Sécurité des réseaux"],
    )
    assert fold("Élève À") == "eleve a"
    assert [doc for doc, _ in index.search("developpeur LOGICIEL")] == ["a"]
    assert [doc for doc, _ in index.search("securite reseau")] == ["c"]
    assert index.search("logiciel", among={"b", "c"}) == []
    assert index.search("les des") == []  # stop words only
    assert TextIndex([], []).search("x") == []
