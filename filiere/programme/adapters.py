"""ORM rows of the programme turned into the engine's indicator dataclasses."""

from engine.indicators import Direction, IndicatorSpec, Point
from filiere.programme.models import Indicator


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = Point(on=indicator.baseline_date, value=float(indicator.baseline_value))
    target = indicator.effective_target
    return IndicatorSpec(
        direction=Direction(indicator.direction),
        baseline=baseline,
        target=float(target) if target is not None else None,
        deadline=indicator.deadline,
    )


def measurement_points(measurements) -> list[Point]:
    return [Point(on=m.measured_on, value=float(m.value)) for m in measurements]
