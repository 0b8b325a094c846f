"""Checks a schedule against every rule, independently of how it was made.

Rules: a meeting is a known request, in a known slot, on a table numbered
1…tables of that slot; a request is met at most once; a table holds one
meeting per slot; a participant is in at most one meeting per slot and only
in slots where available; a participant's meetings do not exceed their cap.
"""

from collections import Counter
from collections.abc import Iterable

from engine.meetings.instance import Instance, Meeting


def violations(instance: Instance, meetings: Iterable[Meeting]) -> list[str]:
    slots = {s.id: s for s in instance.slots}
    requests = {r.id: r for r in instance.requests}
    caps = {p.id: p.max_meetings for p in instance.participants}
    unavailable = {p.id: p.unavailable for p in instance.participants}
    found: list[str] = []
    seen_requests: Counter = Counter()
    tables_used: Counter = Counter()
    busy: Counter = Counter()
    per_participant: Counter = Counter()
    for meeting in meetings:
        request = requests.get(meeting.request)
        slot = slots.get(meeting.slot)
        if request is None:
            found.append(f"demande inconnue {meeting.request!r}")
            continue
        if slot is None:
            found.append(f"{meeting.request} : créneau inconnu {meeting.slot!r}")
            continue
        seen_requests[request.id] += 1
        if not 1 <= meeting.table <= slot.tables:
            found.append(f"{request.id} : table {meeting.table} hors de 1…{slot.tables}")
        tables_used[(slot.id, meeting.table)] += 1
        for person in (request.a, request.b):
            busy[(person, slot.id)] += 1
            per_participant[person] += 1
            if slot.id in unavailable[person]:
                found.append(f"{request.id} : {person} n'est pas disponible en {slot.id}")
    found += [f"{r} : programmée {n} fois" for r, n in seen_requests.items() if n > 1]
    found += [f"{s}, table {t} : {n} rendez-vous" for (s, t), n in tables_used.items() if n > 1]
    found += [f"{p} : {n} rendez-vous en {s}" for (p, s), n in busy.items() if n > 1]
    found += [
        f"{p} : {n} rendez-vous pour un maximum de {caps[p]}"
        for p, n in per_participant.items()
        if caps[p] is not None and n > caps[p]
    ]
    return found


def total_weight(instance: Instance, meetings: Iterable[Meeting]) -> int:
    weights = {r.id: r.weight for r in instance.requests}
    return sum(weights[m.request] for m in meetings)
