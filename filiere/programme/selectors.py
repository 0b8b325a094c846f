"""Reads the contract pages need, each in a fixed number of queries."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Prefetch, Q, Sum
from django.utils import timezone

from engine.indicators import Assessment, Point, assess, planned_value
from filiere.programme.adapters import indicator_spec, measurement_points
from filiere.programme.figures import figures_key, kept
from filiere.programme.models import (
    Action,
    Axis,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Indicator,
    Measurement,
    Payment,
    Strategy,
)
from filiere.programme.sources import get_source

ZERO = Decimal("0")


@dataclass
class BudgetLine:
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "BudgetLine") -> "BudgetLine":
        return BudgetLine(
            self.allocated + other.allocated,
            self.committed + other.committed,
            self.paid + other.paid,
        )

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed

    def _share(self, amount: Decimal) -> float | None:
        return float(amount / self.allocated) if self.allocated else None

    @property
    def committed_share(self) -> float | None:
        return self._share(self.committed)

    @property
    def paid_share(self) -> float | None:
        return self._share(self.paid)

    @property
    def unpaid_share(self) -> float | None:
        """The committed but not yet paid part, as a share of the allocation."""
        return self._share(self.committed - self.paid)


@dataclass
class IndicatorRow:
    indicator: Indicator
    points: list[Point]
    assessment: Assessment
    target: Decimal | None
    is_computed: bool
    planned: list[Point] = field(default_factory=list)
    # Computed from demo data (the indicator itself may be a fact of the scenario).
    uses_demo_data: bool = False

    @property
    def is_demo(self) -> bool:
        return self.indicator.is_demo or self.uses_demo_data


def default_as_of(contract: Contract) -> date:
    """A running contract is seen today; a finished one as it stood on its last day."""
    return min(timezone.localdate(), contract.end_date)


def as_of_bounds(contract: Contract) -> tuple[date, date]:
    """The dates a contract may be seen on: from its start to its end, or later up to today
    or its furthest indicator deadline (a strategy's commitment may run past the contract),
    so that no date asks for centuries of series."""
    deadline = contract.indicators.aggregate(last=Max("deadline"))["last"]
    latest = max(day for day in (contract.end_date, timezone.localdate(), deadline) if day)
    return contract.start_date, latest


def _rows_of(queryset) -> str:
    """What identifies the rows a queryset reads (a user's visible actions or indicators) in
    the key of a figure kept for them: its SQL, which holds its filters and their values."""
    return str(queryset.query)


def counted_commitments(contract: Contract):
    """The contract's commitments every budget figure counts (none cancelled): the one
    query the dashboard, the action pages, the report, its CSV, the API and the budget
    indicators start from, so that they agree."""
    return BudgetCommitment.objects.counted().filter(action__axis__contract=contract)


def counted_payments(contract: Contract):
    """The contract's payments every budget figure counts (neither they nor their
    commitment cancelled), as :func:`counted_commitments`."""
    return Payment.objects.counted().filter(commitment__action__axis__contract=contract)


def budget_by_action(
    contract: Contract,
    *,
    as_of: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[int, BudgetLine]:
    """Allocated, committed and paid amounts per action id (three queries).

    On a date (``as_of``), as the contract stood that day: every envelope, the commitments
    and payments dated on or before it (the figures of the dashboard, the action pages, the
    API and the budget indicators). With a period, allocations are those of the years it
    touches and commitments and payments those dated inside it (the report's table).
    """
    return kept(
        figures_key("budget_by_action", (contract.pk, as_of, start, end)),
        lambda: _budget_by_action(contract, as_of=as_of, start=start, end=end),
    )


def _budget_by_action(
    contract: Contract, *, as_of: date | None, start: date | None, end: date | None
) -> dict[int, BudgetLine]:
    allocations = BudgetAllocation.objects.filter(action__axis__contract=contract)
    commitments = counted_commitments(contract)
    payments = counted_payments(contract)
    if as_of:
        commitments = commitments.filter(committed_on__lte=as_of)
        payments = payments.filter(paid_on__lte=as_of)
    if start:
        allocations = allocations.filter(year__gte=start.year)
        commitments = commitments.filter(committed_on__gte=start)
        payments = payments.filter(paid_on__gte=start)
    if end:
        allocations = allocations.filter(year__lte=end.year)
        commitments = commitments.filter(committed_on__lte=end)
        payments = payments.filter(paid_on__lte=end)
    lines: dict[int, BudgetLine] = {}
    for action_id, total in (
        allocations.values_list("action_id").annotate(t=Sum("amount_eur")).order_by()
    ):
        lines.setdefault(action_id, BudgetLine()).allocated = total
    for action_id, total in (
        commitments.values_list("action_id").annotate(t=Sum("amount_eur")).order_by()
    ):
        lines.setdefault(action_id, BudgetLine()).committed = total
    for action_id, total in (
        payments.values_list("commitment__action_id").annotate(t=Sum("amount_eur")).order_by()
    ):
        lines.setdefault(action_id, BudgetLine()).paid = total
    return lines


def budget_by_year(contract: Contract, *, as_of: date) -> dict[int, BudgetLine]:
    """Allocated, committed and paid per budget year (payments by their commitment's year),
    as the contract stood on ``as_of`` (as :func:`budget_by_action`)."""
    return kept(
        figures_key("budget_by_year", (contract.pk, as_of)),
        lambda: _budget_by_year(contract, as_of=as_of),
    )


def _budget_by_year(contract: Contract, *, as_of: date) -> dict[int, BudgetLine]:
    years: dict[int, BudgetLine] = {year: BudgetLine() for year in contract.years}
    for rows, field_name, year_field in (
        (BudgetAllocation.objects.filter(action__axis__contract=contract), "allocated", "year"),
        (counted_commitments(contract).filter(committed_on__lte=as_of), "committed", "year"),
        (counted_payments(contract).filter(paid_on__lte=as_of), "paid", "commitment__year"),
    ):
        rows = rows.values_list(year_field).annotate(t=Sum("amount_eur")).order_by()
        for year, total in rows:
            setattr(years.setdefault(year, BudgetLine()), field_name, total)
    return dict(sorted(years.items()))


def axes_with_actions(contract: Contract, actions) -> list[Axis]:
    """The contract's axes, each with ``visible_actions`` (two queries)."""
    return list(
        Axis.objects.filter(contract=contract).prefetch_related(
            Prefetch(
                "actions",
                queryset=actions.select_related("coordinator").order_by("code"),
                to_attr="visible_actions",
            )
        )
    )


def _series_dates(contract: Contract, as_of: date) -> list[date]:
    """Quarter ends from the contract's start up to the reference date, then that date."""
    dates = [
        date(year, month, calendar.monthrange(year, month)[1])
        for year in range(contract.start_date.year, as_of.year + 1)
        for month in (3, 6, 9, 12)
    ]
    dates = [day for day in dates if contract.start_date <= day < as_of]
    return [*dates, as_of]


def indicator_rows(contract: Contract, indicators, *, as_of: date) -> list[IndicatorRow]:
    """Each indicator with its points up to ``as_of`` and its assessment on that date.

    Typed-in indicators read their measurements (one query for all); computed
    ones ask their registered source (one query per source used).
    """
    return kept(
        figures_key("indicator_rows", (contract.pk, as_of, _rows_of(indicators))),
        lambda: _indicator_rows(contract, indicators, as_of=as_of),
    )


def _indicator_rows(contract: Contract, indicators, *, as_of: date) -> list[IndicatorRow]:
    indicators = list(
        indicators.select_related("action", "pillar").prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(measured_on__lte=as_of).order_by("measured_on"),
                to_attr="visible_measurements",
            )
        )
    )
    series_dates = None
    computed: dict[str, list[Point]] = {}
    demo_sources: dict[str, bool] = {}
    rows = []
    for indicator in indicators:
        source = get_source(indicator.computed_source) if indicator.computed_source else None
        if source is not None:
            if series_dates is None:
                series_dates = _series_dates(contract, as_of)
            if source.name not in computed:
                values = source.series(contract, series_dates)
                computed[source.name] = [
                    Point(on=day, value=float(value))
                    for day, value in zip(series_dates, values, strict=True)
                ]
                demo_sources[source.name] = source.uses_demo_data(contract)
            points = computed[source.name]
        else:
            points = measurement_points(indicator.visible_measurements)
        spec = indicator_spec(indicator)
        planned = []
        if spec.baseline and spec.deadline and spec.target is not None:
            planned = [
                spec.baseline,
                Point(on=spec.deadline, value=planned_value(spec, spec.deadline)),
            ]
        rows.append(
            IndicatorRow(
                indicator=indicator,
                points=points,
                assessment=assess(spec, points, today=as_of),
                target=indicator.effective_target,
                is_computed=source is not None,
                planned=planned,
                uses_demo_data=demo_sources.get(indicator.computed_source, False),
            )
        )
    return rows


def indicator_breakdown(indicator, contract, day: date) -> tuple[str, list] | None:
    """The computed indicator's value on ``day`` split as its source says, if it does."""
    source = get_source(indicator.computed_source) if indicator.computed_source else None
    if source is None or source.breakdown is None:
        return None
    return source.breakdown.label, source.breakdown.parts(contract, day)


def upcoming_deadlines(
    rows: list[IndicatorRow], *, as_of: date, limit: int = 6
) -> list[IndicatorRow]:
    upcoming = [r for r in rows if r.indicator.deadline and r.indicator.deadline >= as_of]
    return sorted(upcoming, key=lambda r: r.indicator.deadline)[:limit]


# A commitment's payments that count, from the commitment (it is not cancelled itself).
COUNTED_PAYMENT = Q(payments__is_cancelled=False)


def action_commitments(action: Action):
    """The action's commitments, cancelled ones too (marked), each with what its counted
    payments add up to (``paid``) and all its payments (``listed``)."""
    return (
        BudgetCommitment.objects.filter(action=action)
        .select_related("beneficiary")
        .annotate(paid=Sum("payments__amount_eur", filter=COUNTED_PAYMENT, default=ZERO))
        .prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.order_by("paid_on", "id"), to_attr="listed"
            )
        )
        .order_by("year", "committed_on", "id")
    )


def action_allocations(action: Action):
    return BudgetAllocation.objects.filter(action=action).order_by("year")


def _with_deleted(model, records, **of_action) -> list:
    """The records, then those deleted (an envelope, a measurement) as they last stood, so
    that the history still tells what they were and why they went."""
    deleted = model.history.filter(history_type="-", **of_action).order_by("history_date")
    return [*records, *(entry.instance for entry in deleted)]


def indicator_history_records(indicator: Indicator) -> list:
    """An indicator's measurements whose history its CSV exports, deleted ones included."""
    return _with_deleted(
        Measurement,
        Measurement.objects.filter(indicator=indicator).order_by("measured_on"),
        indicator=indicator,
    )


def action_history_records(action: Action, kind: str) -> list:
    """The action's records of a kind (``engagements``, ``paiements``, ``enveloppes``,
    ``mesures`` of its indicators) whose history its CSV exports, deleted ones included."""
    if kind == "engagements":
        return list(BudgetCommitment.objects.filter(action=action).order_by("pk"))
    if kind == "paiements":
        return list(
            Payment.objects.filter(commitment__action=action)
            .select_related("commitment")
            .order_by("pk")
        )
    if kind == "enveloppes":
        return _with_deleted(
            BudgetAllocation,
            BudgetAllocation.objects.filter(action=action).order_by("year"),
            action=action,
        )
    if kind == "mesures":
        return _with_deleted(
            Measurement,
            Measurement.objects.filter(indicator__action=action)
            .select_related("indicator")
            .order_by("indicator__code", "measured_on"),
            indicator__action=action,
        )
    raise ValueError(kind)


def report_commitments(contract: Contract, *, start: date, end: date):
    return (
        counted_commitments(contract)
        .filter(committed_on__range=(start, end))
        .select_related("action", "beneficiary")
        .annotate(
            paid_in_period=Sum(
                "payments__amount_eur",
                filter=COUNTED_PAYMENT & Q(payments__paid_on__range=(start, end)),
                default=ZERO,
            )
        )
        .order_by("action__code", "committed_on", "id")
    )


def measurements_in_period(indicators, *, start: date, end: date):
    return (
        Measurement.objects.filter(indicator__in=indicators, measured_on__range=(start, end))
        .select_related("indicator")
        .order_by("indicator__code", "measured_on")
    )


def contract_actors(contract: Contract):
    return contract.actors.select_related("organisation").order_by("organisation__name", "role")


def contract_strategy(contract: Contract) -> Strategy | None:
    """The contract's regional strategy with its pillars and their commitments (three queries)."""
    if contract.strategy_id is None:
        return None
    return (
        Strategy.objects.prefetch_related("pillars__commitments").filter(pk=contract.strategy_id)
    ).first()


@dataclass
class ActionOverview:
    action: Action
    budget: BudgetLine
    indicators: list[IndicatorRow]


@dataclass
class AxisOverview:
    axis: Axis
    actions: list[ActionOverview]

    @property
    def budget(self) -> BudgetLine:
        return sum((a.budget for a in self.actions), BudgetLine())


@dataclass
class ContractOverview:
    contract: Contract
    as_of: date
    axes: list[AxisOverview]
    contract_indicators: list[IndicatorRow]
    budget_years: dict[int, BudgetLine]
    key: str = ""

    @property
    def budget(self) -> BudgetLine:
        return sum((a.budget for a in self.axes), BudgetLine())

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        action_rows = [row for axis in self.axes for a in axis.actions for row in a.indicators]
        return self.contract_indicators + action_rows

    def deadlines(self) -> list[IndicatorRow]:
        return upcoming_deadlines(self.indicator_rows, as_of=self.as_of)


def contract_overview(
    contract: Contract, *, actions, indicators, as_of: date, axis_number: int | None = None
) -> ContractOverview:
    """Everything the dashboard, axis and report pages show, in a fixed number of queries
    (one when kept). Its ``key`` is the key of the figures' version, for a page's fragment
    that shows them."""
    key = figures_key(
        "contract_overview",
        (contract.pk, as_of, axis_number, _rows_of(actions), _rows_of(indicators)),
    )
    overview = kept(
        key,
        lambda: _contract_overview(
            contract, actions=actions, indicators=indicators, as_of=as_of, axis_number=axis_number
        ),
    )
    overview.key = key
    return overview


def _contract_overview(
    contract: Contract, *, actions, indicators, as_of: date, axis_number: int | None
) -> ContractOverview:
    axes = axes_with_actions(contract, actions)
    if axis_number is not None:
        axes = [axis for axis in axes if axis.number == axis_number]
    budget = _budget_by_action(contract, as_of=as_of, start=None, end=None)
    rows = _indicator_rows(contract, indicators, as_of=as_of)
    by_action: dict[int, list[IndicatorRow]] = {}
    contract_rows = []
    for row in rows:
        if row.indicator.action_id is None:
            contract_rows.append(row)
        else:
            by_action.setdefault(row.indicator.action_id, []).append(row)
    return ContractOverview(
        contract=contract,
        as_of=as_of,
        axes=[
            AxisOverview(
                axis=axis,
                actions=[
                    ActionOverview(
                        action=action,
                        budget=budget.get(action.id, BudgetLine()),
                        indicators=by_action.get(action.id, []),
                    )
                    for action in axis.visible_actions
                ],
            )
            for axis in axes
        ],
        contract_indicators=contract_rows,
        budget_years=_budget_by_year(contract, as_of=as_of),
    )
