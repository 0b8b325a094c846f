import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.meetings.bounds import combinatorial_bound, lp_bound, upper_bound
from engine.meetings.generator import generate
from engine.meetings.greedy import first_come, weighted_start
from engine.meetings.instance import (
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Request,
    Slot,
    instance_from_data,
    read_instance,
)
from engine.meetings.solver import Stopped, solve
from engine.meetings.validator import Rule, Violation, total_weight, violations


@st.composite
def instances(draw, max_people=8, max_slots=4):
    slot_count = draw(st.integers(1, max_slots))
    slots = tuple(Slot(f"s{k}", draw(st.integers(0, 3))) for k in range(slot_count))
    people = []
    for i in range(draw(st.integers(2, max_people))):
        unavailable = draw(st.sets(st.sampled_from([s.id for s in slots])))
        cap = draw(st.one_of(st.none(), st.integers(0, 3)))
        people.append(Participant(f"p{i}", frozenset(unavailable), cap))
    ids = [p.id for p in people]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda t: t[0] != t[1]),
            max_size=20,
            unique_by=lambda t: frozenset(t),
        )
    )
    requests = tuple(
        Request(f"r{k}", a, b, draw(st.integers(0, 3))) for k, (a, b) in enumerate(pairs)
    )
    return Instance(slots, tuple(people), requests)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_greedy_schedules_keep_every_rule(instance):
    for meetings in (first_come(instance), weighted_start(instance)):
        assert violations(instance, meetings) == []
        assert total_weight(instance, meetings) <= upper_bound(instance)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_solver_is_valid_optimal_on_small_days_and_within_its_bound(instance):
    result = solve(instance, time_limit=5)
    assert violations(instance, result.meetings) == []
    assert result.objective == total_weight(instance, result.meetings)
    assert result.objective <= result.upper_bound
    assert result.status == "OPTIMAL"
    assert result.objective >= total_weight(instance, first_come(instance))


MUTATIONS = {
    "duplicate": lambda inst, ms: [*ms, ms[0]],
    "table out of range": lambda inst, ms: [replace(ms[0], table=0)],
    "table beyond the slot's": lambda inst, ms: [replace(ms[0], table=99)],
    "unknown request": lambda inst, ms: [replace(ms[0], request="nobody")],
    "unknown slot": lambda inst, ms: [replace(ms[0], slot="nowhen")],
}


@settings(max_examples=100, deadline=None)
@given(instances(), st.sampled_from(sorted(MUTATIONS)))
def test_the_validator_catches_a_broken_schedule(instance, mutation):
    meetings = first_come(instance)
    if not meetings:
        return
    assert violations(instance, MUTATIONS[mutation](instance, meetings)) != []


def test_the_validator_names_each_rule():
    slots = (Slot("s1", 1), Slot("s2", 2))
    people = (
        Participant("a", frozenset({"s2"})),
        Participant("b", max_meetings=1),
        Participant("c"),
    )
    requests = (Request("ab", "a", "b", 2), Request("bc", "b", "c", 1), Request("ac", "a", "c", 1))
    instance = Instance(slots, people, requests)
    assert violations(instance, [Meeting("ab", "s1", 1), Meeting("bc", "s2", 1)]) == [
        Violation(Rule.OVER_CAP, participant="b", count=2, limit=1)
    ]
    assert violations(instance, [Meeting("ac", "s2", 1)]) == [
        Violation(Rule.UNAVAILABLE, request="ac", slot="s2", participant="a")
    ]
    found = violations(instance, [Meeting("ab", "s1", 1), Meeting("ac", "s1", 1)])
    assert found == [
        Violation(Rule.TABLE_TAKEN, slot="s1", table=1, count=2),
        Violation(Rule.PARTICIPANT_BUSY, participant="a", slot="s1", count=2),
    ]
    # Each says itself with the instance's ids, as the schedule_meetings command prints it.
    assert [str(v) for v in found] == ["s1, table 1 : 2 rendez-vous", "a : 2 rendez-vous en s1"]
    assert violations(instance, [Meeting("zz", "s1", 1), Meeting("ab", "s9", 1)]) == [
        Violation(Rule.UNKNOWN_REQUEST, request="zz"),
        Violation(Rule.UNKNOWN_SLOT, request="ab", slot="s9"),
    ]
    assert violations(instance, [Meeting("ab", "s1", 2), Meeting("ab", "s2", 1)]) == [
        Violation(Rule.NO_SUCH_TABLE, request="ab", slot="s1", table=2, limit=1),
        Violation(Rule.UNAVAILABLE, request="ab", slot="s2", participant="a"),
        Violation(Rule.REQUEST_TWICE, request="ab", count=2),
        Violation(Rule.OVER_CAP, participant="b", count=2, limit=1),
    ]


def test_kept_meetings_stay_and_tables_are_numbered_around_them():
    instance = generate(30, 120, 4, seed=3, tables=6)
    first = solve(instance, time_limit=5)
    kept = first.meetings[:5]
    again = solve(instance, time_limit=5, keep=kept)
    assert set(kept) <= set(again.meetings)
    assert violations(instance, again.meetings) == []
    with pytest.raises(ValueError, match="enfreignent"):
        solve(instance, keep=[*kept, kept[0]])


def test_the_window_search_of_large_days_keeps_every_rule(monkeypatch):
    import engine.meetings.solver as solver

    monkeypatch.setattr(solver, "FULL_MODEL_VARIABLES", 10)
    monkeypatch.setattr(solver, "WINDOW_SECONDS", 0.5)
    instance = generate(60, 400, 6, seed=5)
    kept = weighted_start(instance)[:10]
    result = solve(instance, time_limit=6, keep=kept)
    assert result.status.startswith("FEASIBLE (")
    assert violations(instance, result.meetings) == []
    assert set(kept) <= set(result.meetings)
    assert result.objective >= total_weight(instance, weighted_start(instance, kept))
    assert result.objective <= result.upper_bound


@pytest.mark.parametrize("windows", [False, True], ids=["whole day", "windows"])
def test_a_search_asked_to_stop_ends_early_without_a_schedule(monkeypatch, windows):
    """Cancelling a run (or its worker being taken over) stops CP-SAT within a poll, long
    before its time limit, and hands back nothing."""
    import threading
    import time

    import engine.meetings.solver as solver

    if windows:
        monkeypatch.setattr(solver, "FULL_MODEL_VARIABLES", 10)
    instance = generate(300, 3000, 12, seed=11)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.perf_counter()
    with pytest.raises(Stopped):
        solve(instance, time_limit=60, stop=stop)
    assert time.perf_counter() - started < 30


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_window_search_is_valid_on_any_day(instance):
    from unittest import mock

    import engine.meetings.solver as solver

    with (
        mock.patch.object(solver, "FULL_MODEL_VARIABLES", -1),
        mock.patch.object(solver, "WINDOW_SECONDS", 0.05),
        mock.patch.object(solver, "MIN_STEP_SECONDS", 0.05),
        mock.patch.object(solver, "FINISH_MARGIN", 0.0),
    ):
        result = solve(instance, time_limit=0.4)
    assert result.status.startswith("FEASIBLE (")
    assert violations(instance, result.meetings) == []
    assert result.objective <= result.upper_bound


def test_bounds_on_a_known_day():
    # Three people, one slot, one table: only one meeting can happen.
    slots = (Slot("s", 1),)
    people = tuple(Participant(p) for p in "abc")
    requests = (Request("ab", "a", "b", 3), Request("bc", "b", "c", 2), Request("ac", "a", "c", 1))
    instance = Instance(slots, people, requests)
    assert combinatorial_bound(instance) == 3
    assert lp_bound(instance) == 3
    assert solve(instance, time_limit=2).objective == 3


def test_an_instance_is_read_with_every_problem_located(tmp_path):
    data = {
        "slots": [{"id": "s1", "tables": 2}, {"id": "s1", "tables": 1}, {"id": "s2", "tables": -1}],
        "participants": [
            {"id": "a", "unavailable": ["s9"]},
            {"id": "b", "max_meetings": -2},
            {"id": "c"},
            {"id": "c"},
        ],
        "requests": [
            {"id": "r1", "participants": ["c", "zed"], "weight": 2},
            {"id": "r2", "participants": ["c", "c"]},
            {"id": "r3", "participants": ["c"]},
            {"id": "r4", "participants": ["c", "c"], "weight": -1},
        ],
    }
    with pytest.raises(InstanceError) as caught:
        instance_from_data(data, "i.json")
    assert caught.value.problems == [
        ("slots[1].id", "identifiant en double 's1'"),
        ("slots[2].tables", "un nombre de tables entier et positif ou nul est attendu"),
        ("participants[0].unavailable[0]", "créneau inconnu 's9'"),
        ("participants[1].max_meetings", "un entier positif ou nul (ou null) est attendu"),
        ("participants[3].id", "identifiant en double 'c'"),
        ("requests[0].participants[1]", "participant inconnu 'zed'"),
        ("requests[1].participants", "la même personne deux fois ('c')"),
        ("requests[2].participants", "deux identifiants de participants sont attendus"),
        ("requests[3].weight", "un poids entier positif ou nul est attendu"),
    ]
    broken = tmp_path / "broken.json"
    broken.write_text('{"slots": [', encoding="utf-8")
    with pytest.raises(InstanceError, match="JSON invalide"):
        read_instance(broken)
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"slots": [{"id": 1, "tables": 1}], "participants": [], "requests": []}),
        encoding="utf-8",
    )
    assert read_instance(good).slots == (Slot("1", 1, "", ""),)
