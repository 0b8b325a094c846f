from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from engine.funding import Applicant, Scheme, assess, eligible_schemes, size_category

TODAY = date(2026, 6, 1)


def test_size_category_follows_insee_headcount_thresholds():
    assert size_category("NN") == "MIC"
    assert size_category("03") == "MIC"
    assert size_category("11") == "PME"
    assert size_category("31") == "PME"
    assert size_category("32") == "ETI"
    assert size_category("52") == "GE"
    assert size_category("") is None
    assert size_category("99") is None


def test_each_set_criterion_must_be_met_and_unset_ones_do_not_count():
    scheme = Scheme(
        id="s", sizes=frozenset({"PME"}), trl_min=4, trl_max=7, departements=frozenset({"14"})
    )
    fit = assess(scheme, Applicant(size="PME", trl=5, departement="14"), TODAY)
    assert fit.eligible
    assert fit.met == ("size", "stage", "territory")
    fit = assess(scheme, Applicant(size="MIC", trl=8, departement="76"), TODAY)
    assert fit.failed == ("size", "stage", "territory")
    # An unknown value fails a criterion the scheme sets.
    assert assess(scheme, Applicant(), TODAY).failed == ("size", "stage", "territory")
    assert assess(Scheme(id="open"), Applicant(), TODAY).eligible


def test_a_closed_call_is_not_eligible():
    fit = assess(Scheme(id="s", closes_on=date(2026, 5, 31)), Applicant(), TODAY)
    assert fit.failed == ("closed",)
    assert assess(Scheme(id="s", closes_on=TODAY), Applicant(), TODAY).eligible


def test_targeted_schemes_come_first_then_the_nearest_deadline():
    applicant = Applicant(size="MIC", trl=5, departement="14", themes=frozenset({"health"}))
    schemes = [
        Scheme(id="generic-late", closes_on=date(2026, 12, 1)),
        Scheme(id="generic-open"),
        Scheme(id="generic-soon", closes_on=date(2026, 7, 1)),
        Scheme(id="health", themes=frozenset({"health"}), closes_on=date(2026, 12, 1)),
        Scheme(id="tourism", themes=frozenset({"tourism"})),
    ]
    ranked = [f.scheme_id for f in eligible_schemes(schemes, applicant, TODAY)]
    assert ranked == ["health", "generic-soon", "generic-late", "generic-open"]


@given(
    trl=st.integers(1, 9),
    low=st.one_of(st.none(), st.integers(1, 9)),
    high=st.one_of(st.none(), st.integers(1, 9)),
)
def test_stage_window_is_inclusive(trl, low, high):
    fit = assess(Scheme(id="s", trl_min=low, trl_max=high), Applicant(trl=trl), TODAY)
    inside = (low is None or trl >= low) and (high is None or trl <= high)
    assert fit.eligible == inside
