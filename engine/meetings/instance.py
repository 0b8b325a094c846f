"""A scheduling instance and its reading from JSON, with every problem located.

{"slots": [{"id", "start", "end", "tables"}],
 "participants": [{"id", "unavailable": [slot ids], "max_meetings": int or null}],
 "requests": [{"id", "participants": [a, b], "weight": int}]}
"""

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Slot:
    id: str
    tables: int
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Request:
    id: str
    a: str
    b: str
    weight: int = 1


@dataclass(frozen=True)
class Meeting:
    request: str
    slot: str
    table: int


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]


class InstanceError(Exception):
    """Every problem of an instance, each with its place (``requests[3].participants[1]``)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}, {where} : {what}" for where, what in problems))


def _text(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _integer(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def instance_from_data(data, source: str = "instance") -> Instance:
    problems: list[tuple[str, str]] = []

    def problem(where: str, what: str) -> None:
        problems.append((where, what))

    if not isinstance(data, dict):
        raise InstanceError(source, [("(racine)", "un objet JSON est attendu")])
    lists = {}
    for key in ("slots", "participants", "requests"):
        value = data.get(key)
        if not isinstance(value, list):
            problem(key, "une liste est attendue")
            value = []
        lists[key] = value

    slots, slot_ids = [], set()
    for i, row in enumerate(lists["slots"]):
        where = f"slots[{i}]"
        if not isinstance(row, dict):
            problem(where, "un objet est attendu")
            continue
        sid, tables = _text(row.get("id")), _integer(row.get("tables"))
        if sid is None:
            problem(f"{where}.id", "identifiant manquant ou vide")
            continue
        if sid in slot_ids:
            problem(f"{where}.id", f"identifiant en double {sid!r}")
            continue
        if tables is None or tables < 0:
            problem(f"{where}.tables", "un nombre de tables entier et positif ou nul est attendu")
            continue
        slot_ids.add(sid)
        slots.append(Slot(sid, tables, str(row.get("start", "")), str(row.get("end", ""))))

    participants, participant_ids = [], set()
    for i, row in enumerate(lists["participants"]):
        where = f"participants[{i}]"
        if not isinstance(row, dict):
            problem(where, "un objet est attendu")
            continue
        pid = _text(row.get("id"))
        if pid is None:
            problem(f"{where}.id", "identifiant manquant ou vide")
            continue
        if pid in participant_ids:
            problem(f"{where}.id", f"identifiant en double {pid!r}")
            continue
        unavailable = row.get("unavailable", [])
        if not isinstance(unavailable, list):
            problem(f"{where}.unavailable", "une liste d'identifiants de créneaux est attendue")
            continue
        bad = False
        for k, value in enumerate(unavailable):
            if _text(value) not in slot_ids:
                problem(f"{where}.unavailable[{k}]", f"créneau inconnu {value!r}")
                bad = True
        cap = row.get("max_meetings")
        if cap is not None and (_integer(cap) is None or cap < 0):
            problem(f"{where}.max_meetings", "un entier positif ou nul (ou null) est attendu")
            bad = True
        if bad:
            continue
        participant_ids.add(pid)
        participants.append(Participant(pid, frozenset(_text(v) for v in unavailable), cap))

    requests, request_ids = [], set()
    for i, row in enumerate(lists["requests"]):
        where = f"requests[{i}]"
        if not isinstance(row, dict):
            problem(where, "un objet est attendu")
            continue
        rid, weight, pair = _text(row.get("id")), row.get("weight", 1), row.get("participants")
        if rid is None:
            problem(f"{where}.id", "identifiant manquant ou vide")
            continue
        if rid in request_ids:
            problem(f"{where}.id", f"identifiant en double {rid!r}")
            continue
        if _integer(weight) is None or weight < 0:
            problem(f"{where}.weight", "un poids entier positif ou nul est attendu")
            continue
        if not isinstance(pair, list) or len(pair) != 2:
            problem(f"{where}.participants", "deux identifiants de participants sont attendus")
            continue
        ids = [_text(v) for v in pair]
        unknown = [k for k, v in enumerate(ids) if v not in participant_ids]
        for k in unknown:
            problem(f"{where}.participants[{k}]", f"participant inconnu {pair[k]!r}")
        if unknown:
            continue
        if ids[0] == ids[1]:
            problem(f"{where}.participants", f"la même personne deux fois ({ids[0]!r})")
            continue
        request_ids.add(rid)
        requests.append(Request(rid, ids[0], ids[1], weight))

    if problems:
        raise InstanceError(source, problems)
    return Instance(tuple(slots), tuple(participants), tuple(requests))


def read_instance(path: Path | str) -> Instance:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InstanceError(
            str(path), [("(fichier)", f"lecture impossible ({exc.strerror})")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise InstanceError(str(path), [("(fichier)", "le fichier n'est pas en UTF-8")]) from exc
    except json.JSONDecodeError as exc:
        where = f"ligne {exc.lineno}, colonne {exc.colno}"
        raise InstanceError(str(path), [(where, f"JSON invalide ({exc.msg})")]) from exc
    return instance_from_data(data, str(path))
