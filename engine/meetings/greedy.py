"""First-come scheduling, as commercial tools book: each request in turn, at the earliest
slot where both participants are free and a table is left."""

from collections import Counter, defaultdict
from collections.abc import Iterable

from engine.meetings.instance import Instance, Meeting, Request


def first_come(
    instance: Instance,
    order: Iterable[Request] | None = None,
    fixed: Iterable[Meeting] = (),
) -> list[Meeting]:
    """Requests in ``order`` (the instance's by default); ``fixed`` meetings are placed first."""
    requests = {r.id: r for r in instance.requests}
    caps = {p.id: p.max_meetings for p in instance.participants}
    unavailable = {p.id: p.unavailable for p in instance.participants}
    busy: set[tuple[str, str]] = set()
    count: Counter = Counter()
    used: dict[str, set[int]] = defaultdict(set)
    meetings = list(fixed)
    for meeting in meetings:
        request = requests[meeting.request]
        used[meeting.slot].add(meeting.table)
        for p in (request.a, request.b):
            busy.add((p, meeting.slot))
            count[p] += 1
    done = {m.request for m in meetings}
    for request in instance.requests if order is None else order:
        people = (request.a, request.b)
        if request.id in done or any(caps[p] is not None and count[p] >= caps[p] for p in people):
            continue
        for slot in instance.slots:
            if len(used[slot.id]) >= slot.tables:
                continue
            if any(slot.id in unavailable[p] or (p, slot.id) in busy for p in people):
                continue
            table = next(t for t in range(1, slot.tables + 1) if t not in used[slot.id])
            used[slot.id].add(table)
            meetings.append(Meeting(request.id, slot.id, table))
            for p in people:
                busy.add((p, slot.id))
                count[p] += 1
            break
    return meetings


def weighted_start(instance: Instance, fixed: Iterable[Meeting] = ()) -> list[Meeting]:
    """A better start for the solver: heavy requests first, the most constrained first."""
    slots_of = {p.id: len(instance.slots) - len(p.unavailable) for p in instance.participants}
    demand: Counter = Counter()
    for r in instance.requests:
        demand[r.a] += 1
        demand[r.b] += 1
    order = sorted(
        instance.requests,
        key=lambda r: (
            -r.weight,
            min(slots_of[r.a], slots_of[r.b]),
            -max(demand[r.a], demand[r.b]),
        ),
    )
    return first_come(instance, order, fixed)
