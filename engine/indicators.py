"""How far an indicator is from its target, and whether it will get there in time.

An indicator has a baseline, a target to reach by a deadline and dated
measurements. Its *planned trajectory* is the straight line from
(baseline date, baseline) to (deadline, target). Its *trend* is the
least-squares line through the measurements (and the baseline, when known);
the indicator is on track when that trend reaches the target by the deadline.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    # Measured, but no trend can be drawn yet (one date only, or no deadline).
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Point:
    on: date
    value: float


@dataclass(frozen=True)
class IndicatorSpec:
    direction: Direction
    baseline: Point | None
    target: float | None
    deadline: date | None


@dataclass(frozen=True)
class Assessment:
    status: Status
    latest: Point | None
    # Share of the way from the baseline to the target covered by the latest
    # measurement: 0 at the baseline, 1 at the target; None without both ends.
    progress: float | None
    # The trend's value at the deadline; None when it cannot be drawn.
    projected: float | None


def planned_value(spec: IndicatorSpec, on: date) -> float | None:
    """The value the straight planned trajectory gives on a date (clamped to its ends)."""
    if spec.baseline is None or spec.target is None or spec.deadline is None:
        return None
    span = (spec.deadline - spec.baseline.on).days
    if span <= 0:
        return spec.target
    elapsed = min(max((on - spec.baseline.on).days, 0), span)
    return spec.baseline.value + (spec.target - spec.baseline.value) * elapsed / span


def trend_at(points: list[Point], on: date) -> float | None:
    """Least-squares line through the points, evaluated on a date; None under two dates."""
    xs = [p.on.toordinal() for p in points]
    if len(set(xs)) < 2:
        return None
    ys = [p.value for p in points]
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return mean_y + slope * (on.toordinal() - mean_x)


def _reaches(spec: IndicatorSpec, value: float) -> bool:
    assert spec.target is not None
    if spec.direction is Direction.DECREASE:
        return value <= spec.target
    return value >= spec.target


def assess(spec: IndicatorSpec, measurements: list[Point], *, today: date) -> Assessment:
    """Assess an indicator on a date from its measurements (in any order)."""
    points = sorted((p for p in measurements if p.on <= today), key=lambda p: p.on)
    latest = points[-1] if points else None
    progress = None
    if latest and spec.baseline and spec.target is not None:
        gap = spec.target - spec.baseline.value
        if gap:
            progress = (latest.value - spec.baseline.value) / gap
    trend_points = ([spec.baseline] if spec.baseline else []) + points
    projected = trend_at(trend_points, spec.deadline) if spec.deadline else None

    if spec.target is None:
        status = Status.NO_TARGET
    elif latest is None:
        status = Status.NO_DATA
    elif _reaches(spec, latest.value):
        status = Status.ACHIEVED
    elif spec.deadline is not None and today > spec.deadline:
        status = Status.MISSED
    elif projected is not None:
        status = Status.ON_TRACK if _reaches(spec, projected) else Status.AT_RISK
    else:
        status = Status.UNKNOWN
    return Assessment(
        status=status,
        latest=latest,
        progress=progress,
        projected=projected,
    )
