from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.indicators import (
    Direction,
    IndicatorSpec,
    Point,
    Status,
    assess,
    planned_value,
    trend_at,
)

SPEC = IndicatorSpec(
    direction=Direction.INCREASE,
    baseline=Point(date(2017, 1, 1), 0.0),
    target=100.0,
    deadline=date(2019, 12, 31),
)


def test_planned_value_is_linear_between_baseline_and_deadline():
    assert planned_value(SPEC, date(2017, 1, 1)) == 0
    assert planned_value(SPEC, date(2019, 12, 31)) == 100
    middle = planned_value(SPEC, date(2018, 7, 2))
    assert middle == pytest.approx(50, abs=0.2)
    assert planned_value(SPEC, date(2030, 1, 1)) == 100  # clamped


def test_on_track_when_the_trend_reaches_the_target():
    points = [Point(date(2017, 12, 31), 35), Point(date(2018, 12, 31), 70)]
    result = assess(SPEC, points, today=date(2019, 1, 1))
    assert result.status is Status.ON_TRACK
    assert result.progress == pytest.approx(0.70)
    assert result.projected >= 100


def test_at_risk_when_the_trend_falls_short():
    points = [Point(date(2017, 12, 31), 10), Point(date(2018, 12, 31), 20)]
    result = assess(SPEC, points, today=date(2019, 1, 1))
    assert result.status is Status.AT_RISK
    assert result.projected < 100


def test_achieved_missed_and_missing_data():
    assert assess(SPEC, [Point(date(2019, 6, 1), 100)], today=date(2019, 7, 1)).status is (
        Status.ACHIEVED
    )
    late = assess(SPEC, [Point(date(2019, 6, 1), 60)], today=date(2020, 1, 15))
    assert late.status is Status.MISSED
    assert assess(SPEC, [], today=date(2019, 1, 1)).status is Status.NO_DATA


def test_measurements_after_the_reference_date_are_ignored():
    points = [Point(date(2018, 1, 1), 30), Point(date(2019, 6, 1), 100)]
    result = assess(SPEC, points, today=date(2018, 6, 1))
    assert result.latest == Point(date(2018, 1, 1), 30)
    assert result.status is not Status.ACHIEVED


def test_decreasing_indicator():
    spec = IndicatorSpec(Direction.DECREASE, Point(date(2017, 1, 1), 50), 10, date(2019, 12, 31))
    result = assess(spec, [Point(date(2018, 1, 1), 30)], today=date(2018, 1, 2))
    assert result.progress == pytest.approx(0.5)
    assert result.status is Status.ON_TRACK
    assert assess(spec, [Point(date(2018, 1, 1), 9)], today=date(2018, 1, 2)).status is (
        Status.ACHIEVED
    )


def test_without_target_or_trend():
    no_target = IndicatorSpec(Direction.INCREASE, Point(date(2017, 1, 1), 21000), None, None)
    assert assess(no_target, [Point(date(2018, 1, 1), 22000)], today=date(2019, 1, 1)).status is (
        Status.NO_TARGET
    )
    no_baseline = IndicatorSpec(Direction.INCREASE, None, 30, date(2020, 12, 31))
    one_point = assess(no_baseline, [Point(date(2018, 1, 1), 6)], today=date(2019, 1, 1))
    assert one_point.status is Status.UNKNOWN
    assert one_point.progress is None


def test_trend_needs_two_dates():
    assert trend_at([Point(date(2018, 1, 1), 1)], date(2019, 1, 1)) is None
    assert trend_at([Point(date(2018, 1, 1), 1), Point(date(2018, 1, 1), 2)], date(2019, 1, 1)) is (
        None
    )


@given(
    st.lists(
        st.tuples(st.dates(date(2017, 1, 2), date(2019, 12, 30)), st.floats(0, 1e6)),
        min_size=2,
        max_size=12,
        unique_by=lambda p: p[0],
    ),
    st.floats(-1e4, 1e4),
)
def test_trend_goes_through_points_on_a_line(raw, slope_per_day):
    """Points exactly on a line: the least-squares trend is that line."""
    origin = date(2017, 1, 1).toordinal()
    points = [Point(day, 5.0 + slope_per_day * (day.toordinal() - origin)) for day, _ in raw]
    target_day = date(2021, 1, 1)
    expected = 5.0 + slope_per_day * (target_day.toordinal() - origin)
    assert trend_at(points, target_day) == pytest.approx(expected, rel=1e-6, abs=1e-3)
