"""Generated instances for tests and benchmarks: popularity skew and partial availability."""

import random

from engine.meetings.instance import Instance, Participant, Request, Slot


def generate(
    participants: int, requests: int, slots: int, *, seed: int = 0, tables: int | None = None
) -> Instance:
    rng = random.Random(seed)
    slot_rows = tuple(
        Slot(f"s{k:02d}", tables or max(1, participants // 4), f"T{k:02d}", f"T{k + 1:02d}")
        for k in range(slots)
    )
    ids = [f"p{i:05d}" for i in range(participants)]
    people = []
    for pid in ids:
        unavailable: set[str] = set()
        draw = rng.random()
        if draw < 0.15:  # arrives late
            unavailable |= {s.id for s in slot_rows[: rng.randint(1, slots // 3)]}
        elif draw < 0.30:  # leaves early
            unavailable |= {s.id for s in slot_rows[-rng.randint(1, slots // 3) :]}
        if rng.random() < 0.3:  # a break
            unavailable.add(rng.choice(slot_rows).id)
        cap = rng.choice([None, None, None, 6, 8, 10])
        people.append(Participant(pid, frozenset(unavailable), cap))
    # Popularity: a few participants are asked for by many (Zipf-like weights).
    popularity = [1 / (rank + 1) ** 0.9 for rank in range(participants)]
    order = ids[:]
    rng.shuffle(order)
    seen: set[tuple[str, str]] = set()
    rows = []
    while len(rows) < requests:
        a = rng.choice(ids)
        b = rng.choices(order, weights=popularity)[0]
        if a == b or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        weight = rng.choices([3, 2, 1], weights=[0.2, 0.4, 0.4])[0]
        rows.append(Request(f"r{len(rows):06d}", a, b, weight))
    return Instance(slot_rows, tuple(people), tuple(rows))
