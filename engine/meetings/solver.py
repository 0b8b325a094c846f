"""The schedule that maximises the total weight of the accepted requests met, with CP-SAT.

One boolean per (request, slot where both participants are available); at most
one slot per request, one meeting per participant and slot, ``tables`` meetings
per slot, each participant's cap. Tables are interchangeable within a slot, so
table numbers are given afterwards (kept meetings keep theirs).

* Up to ``FULL_MODEL_VARIABLES`` booleans, one CP-SAT model of the whole day,
  started from a constructive schedule (``greedy.weighted_start``).
* Beyond (thousands of participants), CP-SAT spends the minute presolving and
  finds less than the constructive schedule; the day is then improved window by
  window instead: a few slots at a time are emptied and filled again optimally
  (CP-SAT) with the requests met there and those not met anywhere, everything
  else fixed. Each step keeps or improves the total (a large-neighbourhood search).

Every result carries an upper bound (``bounds.upper_bound`` and, for the whole
model, CP-SAT's own), so the organiser sees how far from the optimum it can be,
and goes through the validator before it is returned.
"""

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from engine.meetings.bounds import upper_bound
from engine.meetings.greedy import weighted_start
from engine.meetings.instance import Instance, Meeting
from engine.meetings.validator import total_weight, violations

FULL_MODEL_VARIABLES = 250_000
# Slots emptied and refilled at each step of the window search, and its time per step.
WINDOW_SLOTS = 2
WINDOW_SECONDS = 4.0
MIN_STEP_SECONDS = 0.2
# Seconds kept at the end to check the schedule and number the tables.
FINISH_MARGIN = 1.5

Progress = Callable[[int, float], None]
# How often a running CP-SAT search looks whether it was asked to stop.
STOP_POLL_SECONDS = 0.2


class Stop(Protocol):
    """Asked to stop from another thread (a ``threading.Event``)."""

    def is_set(self) -> bool: ...


class Stopped(Exception):
    """The search was asked to stop before it ended: it returns no schedule."""


@dataclass(frozen=True)
class Result:
    meetings: list[Meeting]
    objective: int
    upper_bound: int
    status: str
    seconds: float


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Progress, started: float):
        super().__init__()
        self._report = report
        self._started = started

    def on_solution_callback(self) -> None:
        self._report(int(self.ObjectiveValue()), time.perf_counter() - self._started)


class _Day:
    """The instance's lookups, shared by both methods."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.requests = {r.id: r for r in instance.requests}
        self.unavailable = {p.id: p.unavailable for p in instance.participants}
        self.caps = {p.id: p.max_meetings for p in instance.participants}
        self.tables = {s.id: s.tables for s in instance.slots if s.tables > 0}

    def possible_slots(self, request, slots) -> list[str]:
        return [
            s
            for s in slots
            if s not in self.unavailable[request.a] and s not in self.unavailable[request.b]
        ]

    def schedulable(self, request) -> bool:
        return request.weight > 0 and self.caps[request.a] != 0 and self.caps[request.b] != 0


class _Model:
    """A CP-SAT model: one boolean per (request, slot), and the day's rules over them."""

    def __init__(self, day: _Day):
        self.day = day
        self.cp = cp_model.CpModel()
        self.x: dict[tuple[str, str], cp_model.IntVar] = {}
        self._by_person_slot = defaultdict(list)
        self._by_slot = defaultdict(list)
        self._by_person = defaultdict(list)

    def add(self, request, slots) -> None:
        """The request may take one of these slots, or none."""
        choices = []
        for slot in slots:
            var = self.cp.NewBoolVar("")
            self.x[(request.id, slot)] = var
            choices.append(var)
            for person in (request.a, request.b):
                self._by_person_slot[(person, slot)].append(var)
                self._by_person[person].append(var)
            self._by_slot[slot].append(var)
        if len(choices) > 1:
            self.cp.AddAtMostOne(choices)

    def finish(self, *, seats: dict[str, int], caps: dict[str, int | None]) -> None:
        """One meeting per person and slot, ``seats`` per slot, ``caps`` per person; the most
        weight."""
        for group in self._by_person_slot.values():
            if len(group) > 1:
                self.cp.AddAtMostOne(group)
        for slot, group in self._by_slot.items():
            if len(group) > seats[slot]:
                self.cp.Add(sum(group) <= seats[slot])
        for person, group in self._by_person.items():
            cap = caps[person]
            if cap is not None and len(group) > cap:
                self.cp.Add(sum(group) <= cap)
        weights = self.day.requests
        self.cp.Maximize(sum(weights[r].weight * var for (r, _s), var in self.x.items()))


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    keep: Iterable[Meeting] = (),
    workers: int = 2,
    on_progress: Progress | None = None,
    stop: Stop | None = None,
) -> Result:
    """Best schedule found within ``time_limit`` seconds; ``keep`` meetings stay as they are.
    Raises ``Stopped`` if ``stop`` is set before the search ends."""
    started = time.perf_counter()
    kept = list(keep)
    problems = violations(instance, kept)
    if problems:
        raise ValueError(
            "Les rendez-vous à garder enfreignent une règle : " + "; ".join(map(str, problems))
        )
    day = _Day(instance)
    deadline = started + time_limit - FINISH_MARGIN
    start = weighted_start(instance, kept)
    bound = upper_bound(instance)
    size = sum(
        len(day.possible_slots(r, day.tables)) for r in instance.requests if day.schedulable(r)
    )
    if size <= FULL_MODEL_VARIABLES:
        meetings, status, solver_bound = _whole_day(
            day, start, kept, deadline, workers, on_progress, stop
        )
        bound = min(bound, solver_bound)
    else:
        meetings, status = _by_windows(
            day, start, kept, deadline, workers, on_progress, started, stop
        )
    if stop is not None and stop.is_set():
        raise Stopped()
    meetings = _with_tables(day, meetings, kept)
    problems = violations(instance, meetings)
    if problems:  # never hand out a schedule that breaks a rule
        raise AssertionError("; ".join(map(str, problems)))
    value = total_weight(instance, meetings)
    return Result(
        meetings=meetings,
        objective=value,
        upper_bound=max(bound, value),
        status=status,
        seconds=time.perf_counter() - started,
    )


def _watch_stop(solver: cp_model.CpSolver, stop: Stop, done: threading.Event) -> None:
    while not done.wait(STOP_POLL_SECONDS):
        if stop.is_set():
            solver.stop_search()
            return


def _whole_day(day: _Day, start, kept, deadline, workers, on_progress, stop):
    model = _Model(day)
    kept_at = {m.request: m.slot for m in kept}
    for request in day.instance.requests:
        if not day.schedulable(request) and request.id not in kept_at:
            continue
        model.add(request, day.possible_slots(request, day.tables))
        if request.id in kept_at:
            model.cp.Add(model.x[(request.id, kept_at[request.id])] == 1)
    model.finish(seats=day.tables, caps=day.caps)
    x = model.x
    for meeting in start:  # weightless requests have no variable
        if (meeting.request, meeting.slot) in x:
            model.cp.AddHint(x[(meeting.request, meeting.slot)], 1)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.perf_counter(), 1.0)
    solver.parameters.num_workers = workers
    callback = _Progress(on_progress, time.perf_counter()) if on_progress else None
    done = threading.Event()
    if stop is not None:
        threading.Thread(target=_watch_stop, args=(solver, stop, done), daemon=True).start()
    try:
        status = solver.Solve(model.cp, callback)
    finally:
        done.set()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, "FEASIBLE", 1 << 62
    found = [Meeting(r, s, 0) for (r, s), var in x.items() if solver.BooleanValue(var)]
    if total_weight(day.instance, start) > total_weight(day.instance, found):
        found = start
    return found, solver.StatusName(status), int(solver.BestObjectiveBound() + 1e-6)


def _by_windows(day: _Day, start, kept, deadline, workers, on_progress, started, stop):
    """Refill a few slots at a time, optimally, everything else fixed."""
    fixed = {m.request for m in kept}
    # Weightless meetings bring nothing: they are left out, so that every meeting in
    # a window can move.
    slot_of = {
        m.request: m.slot
        for m in start
        if m.request in fixed or day.schedulable(day.requests[m.request])
    }
    rng = random.Random(0)
    slots = list(day.tables)
    current = total_weight(day.instance, start)
    steps = improved = 0
    while time.perf_counter() + MIN_STEP_SECONDS < deadline:
        if stop is not None and stop.is_set():
            break
        window = rng.sample(slots, min(WINDOW_SLOTS, len(slots)))
        gain = _refill(day, slot_of, fixed, window, deadline, workers)
        steps += 1
        if gain > 0:
            current += gain
            improved += 1
            if on_progress:
                on_progress(current, time.perf_counter() - started)
    meetings = [Meeting(r, s, 0) for r, s in slot_of.items()]
    return meetings, f"FEASIBLE ({steps} fenêtres, {improved} améliorées)"


def _refill(day: _Day, slot_of: dict, fixed: set, window: list[str], deadline, workers) -> int:
    inside = set(window)
    count_outside: Counter = Counter()
    blocked: set[tuple[str, str]] = set()
    seats = dict.fromkeys(window, 0)
    for request_id, slot in slot_of.items():
        request = day.requests[request_id]
        if slot in inside and request_id not in fixed:
            continue
        if slot in inside:  # a kept meeting stays where it is
            seats[slot] += 1
            blocked.update({(request.a, slot), (request.b, slot)})
        count_outside[request.a] += 1
        count_outside[request.b] += 1
    movable = [
        r
        for r in day.instance.requests
        if day.schedulable(r)
        and r.id not in fixed
        and (r.id not in slot_of or slot_of[r.id] in inside)
    ]
    model = _Model(day)
    for request in movable:
        left = [
            day.caps[p] - count_outside[p]
            for p in (request.a, request.b)
            if day.caps[p] is not None
        ]
        if left and min(left) <= 0:
            continue
        slots = [
            slot
            for slot in day.possible_slots(request, window)
            if (request.a, slot) not in blocked and (request.b, slot) not in blocked
        ]
        model.add(request, slots)
    if not model.x:
        return 0
    model.finish(
        seats={slot: day.tables[slot] - seats[slot] for slot in window},
        caps={
            person: None if cap is None else cap - count_outside[person]
            for person, cap in day.caps.items()
        },
    )
    x = model.x
    before = 0
    for (request_id, slot), var in x.items():
        if slot_of.get(request_id) == slot:
            model.cp.AddHint(var, 1)
            before += day.requests[request_id].weight
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        min(WINDOW_SECONDS, deadline - time.perf_counter()), 0.1
    )
    solver.parameters.num_workers = workers
    status = solver.Solve(model.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.ObjectiveValue() <= before:
        return 0
    for (request_id, slot), var in x.items():
        if slot_of.get(request_id) == slot and not solver.BooleanValue(var):
            del slot_of[request_id]
    for (request_id, slot), var in x.items():
        if solver.BooleanValue(var):
            slot_of[request_id] = slot
    return int(solver.ObjectiveValue()) - before


def _with_tables(day: _Day, meetings, kept) -> list[Meeting]:
    """Number the tables: kept meetings keep theirs, the others take the free ones in order."""
    kept_ids = {m.request for m in kept}
    taken: dict[str, set[int]] = defaultdict(set)
    for meeting in kept:
        taken[meeting.slot].add(meeting.table)
    numbered = list(kept)
    next_table: dict[str, int] = defaultdict(int)
    for meeting in sorted(meetings, key=lambda m: (m.slot, m.request)):
        if meeting.request in kept_ids:
            continue
        table = next_table[meeting.slot] + 1
        while table in taken[meeting.slot]:
            table += 1
        next_table[meeting.slot] = table
        numbered.append(Meeting(meeting.request, meeting.slot, table))
    return numbered
