"""An event's rows as the engine reads them, and the engine's answers as rows: the scheduling
instance, planned meetings, the solver's and the greedy schedule, the rules a change would
break (said with the event's names), and the index that suggests participants to meet."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from engine.matching import MatchIndex, Provider
from engine.meetings.greedy import first_come
from engine.meetings.instance import Instance, Participant, Request
from engine.meetings.instance import Meeting as PlannedMeeting
from engine.meetings.instance import Slot as PlannedSlot
from engine.meetings.solver import Stop, Stopped, solve
from engine.meetings.validator import Rule, Violation, total_weight, violations
from filiere.directory.adapters import located_need
from filiere.events.enums import MeetingState, RegistrationStatus, RequestStatus
from filiere.events.models import Event, Meeting, MeetingRequest, Registration, Slot

# The id of a request that does not exist yet (a replacement meeting between two people
# who never asked each other).
NEW_REQUEST = "R-new"


def _slot(pk: int) -> str:
    return f"S{pk}"


def _participant(pk: int) -> str:
    return f"P{pk}"


def _request(pk: int) -> str:
    return f"R{pk}"


def _pk(engine_id: str) -> int:
    return int(engine_id[1:])


def scheduling_instance(event: Event) -> Instance:
    """The event's slots, approved participants and accepted requests between them."""
    slots = list(event.slots.all())
    people = list(
        event.registrations.filter(status=RegistrationStatus.APPROVED).prefetch_related(
            "unavailable"
        )
    )
    present = {p.pk for p in people}
    requests = [
        r
        for r in event.requests.filter(status=RequestStatus.ACCEPTED)
        if r.requester_id in present and r.target_id in present
    ]
    return Instance(
        tuple(PlannedSlot(_slot(s.pk), s.tables) for s in slots),
        tuple(
            Participant(
                _participant(p.pk),
                frozenset(_slot(s.pk) for s in p.unavailable.all()),
                p.max_meetings if p.max_meetings is not None else event.max_meetings,
            )
            for p in people
        ),
        tuple(
            Request(
                _request(r.pk), _participant(r.requester_id), _participant(r.target_id), r.priority
            )
            for r in requests
        ),
    )


def planned(meeting: Meeting) -> PlannedMeeting:
    return PlannedMeeting(_request(meeting.request_id), _slot(meeting.slot_id), meeting.table)


def _held(event: Event, *, exclude: Meeting | None = None) -> list[PlannedMeeting]:
    """The event's meetings that take a table and two people's time (a no-show frees them)."""
    meetings = Meeting.objects.filter(request__event=event).exclude(state=MeetingState.NO_SHOW)
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude.pk)
    return [planned(m) for m in meetings]


# What the services catch when a run's search was stopped (they do not import the engine).
PlanStopped = Stopped


@dataclass(frozen=True)
class Planning:
    """A run's answer: the new meetings (rows to save) and its figures."""

    meetings: list[Meeting]
    objective: int
    upper_bound: int
    greedy: int


def plan(
    event: Event,
    *,
    seconds: float,
    keep_published: bool,
    on_progress: Callable[[int, float], None] | None = None,
    stop: Stop | None = None,
) -> Planning:
    """The best schedule the solver finds in ``seconds``; published meetings stay where they
    are when ``keep_published``, and are then not among the new meetings. Raises
    ``PlanStopped`` when ``stop`` is set before the search ends."""
    instance = scheduling_instance(event)
    kept = []
    if keep_published:
        scheduled = {r.id for r in instance.requests}
        published = Meeting.objects.filter(request__event=event, state=MeetingState.PUBLISHED)
        kept = [m for m in map(planned, published) if m.request in scheduled]
    result = solve(instance, time_limit=seconds, keep=kept, on_progress=on_progress, stop=stop)
    kept_ids = {m.request for m in kept}
    return Planning(
        meetings=[
            Meeting(request_id=_pk(m.request), slot_id=_pk(m.slot), table=m.table)
            for m in result.meetings
            if m.request not in kept_ids
        ],
        objective=result.objective,
        upper_bound=result.upper_bound,
        greedy=total_weight(instance, first_come(instance)),
    )


def _added(instance: Instance, meetings: list[PlannedMeeting], meeting: PlannedMeeting) -> list:
    """The violations that ``meeting`` adds to a schedule (not those it already had)."""
    before = set(violations(instance, meetings))
    return [v for v in violations(instance, [*meetings, meeting]) if v not in before]


class _Names:
    """The event's slots, participants and requests by their engine ids, for sentences."""

    def __init__(self, event: Event):
        self.slots = {_slot(s.pk): str(s) for s in event.slots.all()}
        self.people = {_participant(r.pk): r.company for r in event.registrations.all()}
        self.requests = {
            _request(r.pk): str(r) for r in event.requests.select_related("requester", "target")
        }

    def sentence(self, v: Violation) -> str:
        names = {
            "request": self.requests.get(v.request, v.request),
            "slot": self.slots.get(v.slot, v.slot),
            "participant": self.people.get(v.participant, v.participant),
            "table": v.table,
            "count": v.count,
            "limit": v.limit,
        }
        return str(SENTENCES[v.rule]) % names


SENTENCES = {
    Rule.UNKNOWN_REQUEST: _("demande inconnue « %(request)s »"),
    Rule.UNKNOWN_SLOT: _("%(request)s : créneau inconnu « %(slot)s »"),
    Rule.NO_SUCH_TABLE: _("%(request)s : table %(table)s hors de 1…%(limit)s"),
    Rule.UNAVAILABLE: _("%(request)s : %(participant)s n'est pas disponible en %(slot)s"),
    Rule.REQUEST_TWICE: _("%(request)s : programmée %(count)s fois"),
    Rule.TABLE_TAKEN: _("%(slot)s, table %(table)s : %(count)s rendez-vous"),
    Rule.PARTICIPANT_BUSY: _("%(participant)s : %(count)s rendez-vous en %(slot)s"),
    Rule.OVER_CAP: _("%(participant)s : %(count)s rendez-vous pour un maximum de %(limit)s"),
}


@dataclass(frozen=True)
class BrokenRule:
    """A rule of the schedule a change would break: its name and the sentence that says it."""

    rule: str
    text: str


def move_breaks(meeting: Meeting, *, slot: Slot, table: int) -> list[BrokenRule]:
    """The rules the meeting would break at that slot and table, said with the event's names."""
    event = meeting.request.event
    moved = PlannedMeeting(_request(meeting.request_id), _slot(slot.pk), table)
    found = _added(scheduling_instance(event), _held(event, exclude=meeting), moved)
    if not found:
        return []
    names = _Names(event)
    return [BrokenRule(str(v.rule), names.sentence(v)) for v in found]


def free_partners(
    no_show: Meeting, candidates: Iterable[Registration], requests: dict[int, MeetingRequest]
) -> list[Registration]:
    """The candidates who could meet the present participant of a no-show at its slot and
    table: the meeting (on the request between the two in ``requests``, keyed by the
    candidate, else a new one) breaks no rule that the event's schedule does not break
    already."""
    event = no_show.request.event
    present = _participant(no_show.present.pk)
    instance = scheduling_instance(event)
    known = {r.id for r in instance.requests}
    held = _held(event)
    free = []
    for candidate in candidates:
        request = requests.get(candidate.pk)
        request_id = _request(request.pk) if request else NEW_REQUEST
        trial = instance
        if request_id not in known:  # not accepted yet, or new: as if it were
            asked = Request(request_id, present, _participant(candidate.pk))
            trial = replace(instance, requests=(*instance.requests, asked))
        meeting = PlannedMeeting(request_id, _slot(no_show.slot_id), no_show.table)
        if not _added(trial, held, meeting):
            free.append(candidate)
    return free


def suggestions(
    registration: Registration, others: list[Registration], *, top: int
) -> list[tuple[Registration, tuple]]:
    """Among ``others``, those whose offer answers what ``registration`` seeks, best first,
    with the words in common."""
    if not registration.seek.strip() or not others:
        return []
    index = MatchIndex(
        [Provider(id=str(r.pk), name=r.company, description=r.offer) for r in others]
    )
    by_id = {str(r.pk): r for r in others}
    ranked = index.rank(located_need("seek", registration.seek), top=top)
    return [(by_id[s.provider_id], s.explanation.words) for s in ranked if s.explanation.words]
