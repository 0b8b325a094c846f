"""Checks a schedule against every rule, independently of how it was made.

Rules: a meeting is a known request, in a known slot, on a table numbered
1…tables of that slot; a request is met at most once; a table holds one
meeting per slot; a participant is in at most one meeting per slot and only
in slots where available; a participant's meetings do not exceed their cap.

Each broken rule is a :class:`Violation` that names the rule and what breaks
it (ids of the instance), so that callers say it in their own words.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from engine.meetings.instance import Instance, Meeting


class Rule(StrEnum):
    UNKNOWN_REQUEST = "unknown_request"
    UNKNOWN_SLOT = "unknown_slot"
    NO_SUCH_TABLE = "no_such_table"
    UNAVAILABLE = "unavailable"
    REQUEST_TWICE = "request_twice"
    TABLE_TAKEN = "table_taken"
    PARTICIPANT_BUSY = "participant_busy"
    OVER_CAP = "over_cap"


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``count`` is how many there are (meetings of the request, at the
    table, of the participant in the slot or in all), ``limit`` the table count or the cap."""

    rule: Rule
    request: str | None = None
    slot: str | None = None
    table: int | None = None
    participant: str | None = None
    count: int | None = None
    limit: int | None = None

    def __str__(self) -> str:
        match self.rule:
            case Rule.UNKNOWN_REQUEST:
                return f"demande inconnue {self.request!r}"
            case Rule.UNKNOWN_SLOT:
                return f"{self.request} : créneau inconnu {self.slot!r}"
            case Rule.NO_SUCH_TABLE:
                return f"{self.request} : table {self.table} hors de 1…{self.limit}"
            case Rule.UNAVAILABLE:
                return f"{self.request} : {self.participant} n'est pas disponible en {self.slot}"
            case Rule.REQUEST_TWICE:
                return f"{self.request} : programmée {self.count} fois"
            case Rule.TABLE_TAKEN:
                return f"{self.slot}, table {self.table} : {self.count} rendez-vous"
            case Rule.PARTICIPANT_BUSY:
                return f"{self.participant} : {self.count} rendez-vous en {self.slot}"
            case Rule.OVER_CAP:
                return (
                    f"{self.participant} : {self.count} rendez-vous pour un maximum de {self.limit}"
                )


def violations(instance: Instance, meetings: Iterable[Meeting]) -> list[Violation]:
    slots = {s.id: s for s in instance.slots}
    requests = {r.id: r for r in instance.requests}
    caps = {p.id: p.max_meetings for p in instance.participants}
    unavailable = {p.id: p.unavailable for p in instance.participants}
    found: list[Violation] = []
    seen_requests: Counter = Counter()
    tables_used: Counter = Counter()
    busy: Counter = Counter()
    per_participant: Counter = Counter()
    for meeting in meetings:
        request = requests.get(meeting.request)
        slot = slots.get(meeting.slot)
        if request is None:
            found.append(Violation(Rule.UNKNOWN_REQUEST, request=meeting.request))
            continue
        if slot is None:
            found.append(Violation(Rule.UNKNOWN_SLOT, request=request.id, slot=meeting.slot))
            continue
        seen_requests[request.id] += 1
        if not 1 <= meeting.table <= slot.tables:
            found.append(
                Violation(
                    Rule.NO_SUCH_TABLE,
                    request=request.id,
                    slot=slot.id,
                    table=meeting.table,
                    limit=slot.tables,
                )
            )
        tables_used[(slot.id, meeting.table)] += 1
        for person in (request.a, request.b):
            busy[(person, slot.id)] += 1
            per_participant[person] += 1
            if slot.id in unavailable.get(person, ()):
                found.append(
                    Violation(
                        Rule.UNAVAILABLE, request=request.id, slot=slot.id, participant=person
                    )
                )
    found += [
        Violation(Rule.REQUEST_TWICE, request=r, count=n) for r, n in seen_requests.items() if n > 1
    ]
    found += [
        Violation(Rule.TABLE_TAKEN, slot=s, table=t, count=n)
        for (s, t), n in tables_used.items()
        if n > 1
    ]
    found += [
        Violation(Rule.PARTICIPANT_BUSY, participant=p, slot=s, count=n)
        for (p, s), n in busy.items()
        if n > 1
    ]
    found += [
        Violation(Rule.OVER_CAP, participant=p, count=n, limit=caps[p])
        for p, n in per_participant.items()
        if caps.get(p) is not None and n > caps[p]
    ]
    return found


def total_weight(instance: Instance, meetings: Iterable[Meeting]) -> int:
    weights = {r.id: r.weight for r in instance.requests}
    return sum(weights[m.request] for m in meetings)
