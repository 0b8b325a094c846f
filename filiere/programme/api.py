"""JSON endpoints of the programme: contracts, their indicators and budget, measurements."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from filiere.common.api import REFUSALS
from filiere.common.bounds import date_within
from filiere.programme import selectors, services
from filiere.programme.access import (
    access_contract,
    access_indicator,
    can_record_measurement,
    visible_actions,
    visible_contracts,
    visible_indicators,
)

router = Router()


class ContractOut(Schema):
    slug: str
    title: str
    sector: str
    region: str = Field(..., alias="region.code")
    start_date: date
    end_date: date
    signed_on: date | None
    signing_place: str
    budget_eur: Decimal


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    action: str | None
    baseline_value: Decimal | None
    baseline_date: date | None
    target: Decimal | None
    deadline: date | None
    computed_source: str
    latest_value: float | None
    latest_date: date | None
    progress: float | None
    status: str
    is_demo: bool


class BudgetLineOut(Schema):
    action: str
    title: str
    allocated_eur: Decimal
    committed_eur: Decimal
    paid_eur: Decimal


class MeasurementIn(Schema):
    measured_on: date
    value: Decimal = Field(..., max_digits=18, decimal_places=4)
    comment: str = Field("", max_length=500)


class MeasurementOut(Schema):
    indicator: str
    measured_on: date
    value: Decimal
    comment: str


@router.get("/", response=list[ContractOut])
def list_contracts(request):
    return visible_contracts(request.user)


@router.get("/{slug}", response=ContractOut)
def get_contract(request, slug: str):
    return access_contract(request.user, slug)


def _as_of(contract, at: date | None) -> date:
    """The date a list is read on: ``at``, within the contract's bounds, or its default."""
    if at is None:
        return selectors.default_as_of(contract)
    start, end = selectors.as_of_bounds(contract)
    return date_within(at, start=start, end=end, field="at")


@router.get("/{slug}/indicators", response={200: list[IndicatorOut], **REFUSALS})
def list_indicators(request, slug: str, at: date | None = None):
    """The indicators as they stood on ``at`` (from the contract's start to its end, today or
    its furthest deadline; by default its last day, or today while it runs)."""
    contract = access_contract(request.user, slug)
    as_of = _as_of(contract, at)
    rows = selectors.indicator_rows(
        contract, visible_indicators(request.user, contract), as_of=as_of
    )
    return [
        {
            "code": row.indicator.code,
            "name": row.indicator.name,
            "unit": row.indicator.unit,
            "action": row.indicator.action.code if row.indicator.action else None,
            "baseline_value": row.indicator.baseline_value,
            "baseline_date": row.indicator.baseline_date,
            "target": row.target,
            "deadline": row.indicator.deadline,
            "computed_source": row.indicator.computed_source,
            "latest_value": row.assessment.latest.value if row.assessment.latest else None,
            "latest_date": row.assessment.latest.on if row.assessment.latest else None,
            "progress": row.assessment.progress,
            "status": row.assessment.status.value,
            "is_demo": row.is_demo,
        }
        for row in rows
    ]


@router.get("/{slug}/budget", response={200: list[BudgetLineOut], **REFUSALS})
def list_budget(request, slug: str, at: date | None = None):
    """Each action's envelope, and what was committed and paid on or before ``at`` (by
    default the contract's last day, or today while it runs), as the dashboard shows."""
    contract = access_contract(request.user, slug)
    lines = selectors.budget_by_action(contract, as_of=_as_of(contract, at))
    return [
        {
            "action": action.code,
            "title": action.title,
            "allocated_eur": line.allocated,
            "committed_eur": line.committed,
            "paid_eur": line.paid,
        }
        for action in visible_actions(request.user, contract)
        for line in [lines.get(action.id, selectors.BudgetLine())]
    ]


@router.post(
    "/{slug}/indicators/{code}/measurements",
    response={201: MeasurementOut, **REFUSALS},
    auth=django_auth,
)
def record_measurement(request, slug: str, code: str, payload: MeasurementIn):
    contract = access_contract(request.user, slug)
    indicator = access_indicator(request.user, contract, code, check=can_record_measurement)
    measurement = services.measurement_record(
        indicator=indicator, recorded_by=request.user, **payload.dict()
    )
    return Status(201, measurement_out(indicator, measurement))


def measurement_out(indicator, measurement) -> dict:
    return {
        "indicator": indicator.code,
        "measured_on": measurement.measured_on,
        "value": measurement.value,
        "comment": measurement.comment,
    }
