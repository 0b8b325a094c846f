import json

import pytest
from django.core.management.base import CommandError

from engine.meetings.generator import generate
from engine.meetings.instance import Meeting, read_instance
from engine.meetings.validator import total_weight, violations


def instance_file(tmp_path, instance):
    data = {
        "slots": [
            {"id": s.id, "start": s.start, "end": s.end, "tables": s.tables} for s in instance.slots
        ],
        "participants": [
            {"id": p.id, "unavailable": sorted(p.unavailable), "max_meetings": p.max_meetings}
            for p in instance.participants
        ],
        "requests": [
            {"id": r.id, "participants": [r.a, r.b], "weight": r.weight} for r in instance.requests
        ],
    }
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_command_writes_a_valid_schedule_with_its_bound(tmp_path, run_command):
    path = instance_file(tmp_path, generate(40, 200, 6, seed=2, tables=8))
    out = tmp_path / "schedule.json"
    stdout, _ = run_command("schedule_meetings", instance=str(path), out=str(out), time_limit=10)
    schedule = json.loads(out.read_text(encoding="utf-8"))
    meetings = [Meeting(m["request"], m["slot"], m["table"]) for m in schedule["meetings"]]
    instance = read_instance(path)
    assert violations(instance, meetings) == []
    assert schedule["objective"] == total_weight(instance, meetings)
    assert schedule["objective"] <= schedule["upper_bound"]
    assert "de la borne" in stdout
    assert f"total des poids: {schedule['objective']}" in stdout


def test_an_invalid_instance_is_located_and_nothing_is_written(tmp_path, run_command):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "slots": [{"id": "s1", "tables": 1}],
                "participants": [{"id": "a"}, {"id": "a"}],
                "requests": [{"id": "r1", "participants": ["a", "a"], "weight": 1}],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "schedule.json"
    with pytest.raises(CommandError, match="2 problème"):
        run_command("schedule_meetings", instance=str(path), out=str(out))
    assert not out.exists()
