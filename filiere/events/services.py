"""Writes of events: registrations, meeting requests, the scheduler's runs, moves, publication."""

import re
import threading
from datetime import datetime, timedelta

from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engine.matching import MatchIndex, Need, Provider
from engine.meetings.greedy import first_come
from engine.meetings.instance import Instance, Participant, Request
from engine.meetings.instance import Meeting as PlannedMeeting
from engine.meetings.instance import Slot as PlannedSlot
from engine.meetings.solver import solve
from engine.meetings.validator import total_weight, violations
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import member_emails
from filiere.events.enums import (
    SELECTED_KINDS,
    MeetingState,
    RegistrationStatus,
    RequestStatus,
    RunStatus,
)
from filiere.events.models import (
    Event,
    Feedback,
    Invitation,
    Meeting,
    MeetingRequest,
    Registration,
    ScheduleRun,
    Slot,
)

SCHEDULE_SECONDS = 20


class RuleBroken(Exception):
    """A change that would break a rule of the schedule; the message says which."""


def slots_generate(*, event: Event, first: datetime, count: int, minutes: int, tables: int):
    made = []
    for k in range(count):
        start = first + timedelta(minutes=minutes * k)
        made.append(
            Slot(
                event=event,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                tables=tables,
            )
        )
    return Slot.objects.bulk_create(made)


def registration_open(event: Event) -> bool:
    closes = event.registration_closes_on
    return closes is None or timezone.localdate() <= closes


def _seats_left(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = event.registrations.filter(status=RegistrationStatus.APPROVED).count()
    return taken < event.capacity


@transaction.atomic
def register(
    *,
    event: Event,
    user,
    company: str,
    offer="",
    seek="",
    max_meetings=None,
    motivation="",
    legal_unit=None,
):
    Event.objects.select_for_update().get(pk=event.pk)  # one seat count at a time
    if not registration_open(event):
        raise RuleBroken("Les inscriptions sont closes.")
    if event.requires_approval or event.kind in SELECTED_KINDS:
        status = RegistrationStatus.PENDING
    else:
        status = (
            RegistrationStatus.APPROVED if _seats_left(event) else RegistrationStatus.WAITLISTED
        )
    return Registration.objects.create(
        event=event,
        user=user,
        company=company,
        offer=offer,
        seek=seek,
        max_meetings=max_meetings,
        motivation=motivation,
        legal_unit=legal_unit,
        status=status,
    )


@transaction.atomic
def registration_decide(
    *, registration: Registration, approve: bool, note: str = "", cost_share_eur=None
) -> Registration:
    """Approve (a seat if one is left, the waiting list otherwise) or refuse, with the reason
    and, for a delegation, what the firm pays."""
    Event.objects.select_for_update().get(pk=registration.event_id)
    if not approve:
        registration.status = RegistrationStatus.REFUSED
    elif _seats_left(registration.event):
        registration.status = RegistrationStatus.APPROVED
    else:
        registration.status = RegistrationStatus.WAITLISTED
    registration.decision_note = note
    registration.cost_share_eur = cost_share_eur
    registration.save(update_fields=["status", "decision_note", "cost_share_eur"])
    event = registration.event
    link = absolute_url(reverse("events:detail", args=[event.slug]))
    send_on_commit(
        [registration.user.email],
        subject=f"{event.title} : {registration.get_status_display()}",
        template="events/email/decision.txt",
        context={"registration": registration, "event": event, "link": link},
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel; the person's meetings go, and the first on the waiting list takes the seat."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    was_approved = registration.status == RegistrationStatus.APPROVED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    Meeting.objects.filter(
        Q(request__requester=registration) | Q(request__target=registration)
    ).delete()
    if not was_approved:
        return None
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).first()
    if waiting and _seats_left(event):
        waiting.status = RegistrationStatus.APPROVED
        waiting.save(update_fields=["status"])
    return waiting


def request_meeting(*, requester: Registration, target: Registration, priority: int):
    if requester.pk == target.pk or requester.event_id != target.event_id:
        raise RuleBroken("On ne se demande pas soi-même.")
    auto = requester.event.auto_accept_requests
    request, _created = MeetingRequest.objects.update_or_create(
        requester=requester,
        target=target,
        defaults={
            "event": requester.event,
            "priority": priority,
            "status": RequestStatus.ACCEPTED if auto else RequestStatus.PENDING,
        },
    )
    return request


def request_answer(*, request: MeetingRequest, accept: bool) -> MeetingRequest:
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.save(update_fields=["status"])
    if not accept:
        Meeting.objects.filter(request=request).delete()
    return request


def suggestions(registration: Registration, top: int = 5) -> list[tuple[Registration, tuple]]:
    """Other participants whose offer answers what this one seeks, with the words in common."""
    others = list(
        registration.event.registrations.filter(status=RegistrationStatus.APPROVED).exclude(
            pk=registration.pk
        )
    )
    if not registration.seek.strip() or not others:
        return []
    index = MatchIndex(
        [Provider(id=str(r.pk), name=r.company, description=r.offer) for r in others]
    )
    by_id = {str(r.pk): r for r in others}
    ranked = index.rank(Need(id="seek", text=registration.seek), top=top)
    return [(by_id[s.provider_id], s.explanation.words) for s in ranked if s.explanation.words]


def instance_of(event: Event) -> tuple[Instance, list[PlannedMeeting]]:
    """The event as a scheduling instance, and its published meetings (to keep)."""
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
    instance = Instance(
        tuple(PlannedSlot(f"S{s.pk}", s.tables) for s in slots),
        tuple(
            Participant(
                f"P{p.pk}",
                frozenset(f"S{s.pk}" for s in p.unavailable.all()),
                p.max_meetings if p.max_meetings is not None else event.max_meetings,
            )
            for p in people
        ),
        tuple(
            Request(f"R{r.pk}", f"P{r.requester_id}", f"P{r.target_id}", r.priority)
            for r in requests
        ),
    )
    scheduled = {r.id for r in instance.requests}
    published = Meeting.objects.filter(request__event=event, state=MeetingState.PUBLISHED)
    kept = [m for m in map(planned, published) if m.request in scheduled]
    return instance, kept


def planned(meeting: Meeting) -> PlannedMeeting:
    return PlannedMeeting(f"R{meeting.request_id}", f"S{meeting.slot_id}", meeting.table)


def _pk(planned_id: str) -> int:
    return int(planned_id[1:])


def schedule_start(
    *,
    event: Event,
    seconds: float = SCHEDULE_SECONDS,
    background: bool = True,
    keep_published: bool = True,
):
    """Start a run of the scheduler; published meetings stay unless ``keep_published`` is
    false (they are then planned again, as drafts). The page follows its progress."""
    run = ScheduleRun.objects.create(
        event=event, progress="Préparation…", keep_published=keep_published
    )
    if background:
        threading.Thread(target=_run_in_thread, args=(run.pk, seconds), daemon=True).start()
    else:
        schedule_execute(run=run, seconds=seconds)
    return run


def latest_run(event: Event) -> ScheduleRun | None:
    """The event's last run; one still « running » long after its time limit was cut short
    (the server restarted): it is marked failed, so that the page stops waiting."""
    run = event.runs.first()
    overdue = timedelta(seconds=SCHEDULE_SECONDS + 60)
    if run and run.status == RunStatus.RUNNING and timezone.now() - run.started_at > overdue:
        run.status = RunStatus.FAILED
        run.progress = "Calcul interrompu (redémarrage du serveur) : relancez-le."
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "finished_at"])
    return run


def _run_in_thread(run_id: int, seconds: float) -> None:
    """Run the scheduler; a second thread writes its progress to the run once a second.

    The solver reports from its own worker threads: they only note the figures, so
    that no solver thread ever opens a database connection.
    """
    latest: dict = {}
    done = threading.Event()

    def write_progress() -> None:
        written = None
        while not done.wait(1.0):
            if latest and latest != written:
                written = dict(latest)
                ScheduleRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                    progress=f"Meilleur total trouvé : {written['value']} "
                    f"({written['seconds']:.0f} s)"
                )
        connections.close_all()  # this thread's own connections

    writer = threading.Thread(target=write_progress, daemon=True)
    writer.start()
    try:
        schedule_execute(
            run=ScheduleRun.objects.get(pk=run_id),
            seconds=seconds,
            on_progress=lambda value, elapsed: latest.update(value=value, seconds=elapsed),
        )
    finally:
        done.set()
        writer.join()
        connections.close_all()  # this thread's own connections


def schedule_execute(*, run: ScheduleRun, seconds: float, on_progress=None) -> None:
    event = run.event
    try:
        instance, kept = instance_of(event)
        if not run.keep_published:
            kept = []
        result = solve(instance, time_limit=seconds, keep=kept, on_progress=on_progress)
        with transaction.atomic():
            replaced = [MeetingState.DRAFT]
            if not run.keep_published:
                replaced.append(MeetingState.PUBLISHED)
            Meeting.objects.filter(request__event=event, state__in=replaced).delete()
            kept_ids = {m.request for m in kept}
            Meeting.objects.bulk_create(
                Meeting(request_id=_pk(m.request), slot_id=_pk(m.slot), table=m.table)
                for m in result.meetings
                if m.request not in kept_ids
            )
            run.status = RunStatus.DONE
            run.objective = result.objective
            run.upper_bound = result.upper_bound
            run.greedy = total_weight(instance, first_come(instance))
            run.progress = ""
            run.finished_at = timezone.now()
            run.save()
    except Exception as exc:  # the page must say it failed rather than spin forever
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, progress=str(exc)[:200], finished_at=timezone.now()
        )
        raise


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: Slot, table: int) -> Meeting:
    """Move a meeting by hand; refused, with the rule it would break, if it breaks one."""
    event = meeting.request.event
    instance, _kept = instance_of(event)
    others = (
        Meeting.objects.filter(request__event=event)
        .exclude(pk=meeting.pk)
        .exclude(state=MeetingState.NO_SHOW)
    )
    moved = PlannedMeeting(f"R{meeting.request_id}", f"S{slot.pk}", table)
    problems = violations(instance, [*(planned(m) for m in others), moved])
    if problems:
        labels = {f"S{s.pk}": str(s) for s in event.slots.all()}
        labels.update({f"P{r.pk}": r.company for r in event.registrations.all()})
        labels.update(
            {f"R{r.pk}": str(r) for r in event.requests.select_related("requester", "target")}
        )
        text = re.sub(
            r"\b[SPR]\d+\b", lambda m: labels.get(m.group(0), m.group(0)), "; ".join(problems)
        )
        raise RuleBroken(text)
    meeting.slot = slot
    meeting.table = table
    meeting.save(update_fields=["slot", "table"])
    return meeting


@transaction.atomic
def schedule_publish(*, event: Event) -> int:
    count = Meeting.objects.filter(request__event=event, state=MeetingState.DRAFT).update(
        state=MeetingState.PUBLISHED
    )
    event.schedule_published_at = timezone.now()
    event.save(update_fields=["schedule_published_at"])
    people = event.registrations.filter(status=RegistrationStatus.APPROVED).select_related("user")
    send_on_commit(
        [r.user.email for r in people],
        subject=f"{event.title} : vos rendez-vous sont publiés",
        template="events/email/published.txt",
        context={
            "event": event,
            "link": absolute_url(reverse("events:meetings", args=[event.slug])),
        },
    )
    return count


def feedback_record(*, registration: Registration, rating: int, useful_meetings, comment: str):
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"rating": rating, "useful_meetings": useful_meetings, "comment": comment},
    )
    return feedback


def check_in(*, registration: Registration) -> Registration:
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    return registration


def mark_no_show(*, meeting: Meeting, absent: Registration) -> Meeting:
    meeting.state = MeetingState.NO_SHOW
    meeting.absent = absent
    meeting.save(update_fields=["state", "absent"])
    return meeting


def present_of(meeting: Meeting) -> Registration:
    request = meeting.request
    return request.target if meeting.absent_id == request.requester_id else request.requester


def replacements(*, meeting: Meeting) -> list[Registration]:
    """Who could meet the present participant in the same slot: approved, not absent, free
    then and available, under their cap (as the scheduler sees them); those already linked
    by a request, then those who have arrived, come first."""
    event = meeting.request.event
    present = present_of(meeting)
    instance, _kept = instance_of(event)
    participants = {p.id: p for p in instance.participants}
    slot = f"S{meeting.slot_id}"
    busy = set()
    counts: dict[int, int] = {}
    scheduled = (
        Meeting.objects.filter(request__event=event)
        .exclude(state=MeetingState.NO_SHOW)
        .select_related("request")
    )
    for other in scheduled:
        people = (other.request.requester_id, other.request.target_id)
        if other.slot_id == meeting.slot_id:
            busy.update(people)
        if present.pk in people:  # they meet at another time already
            busy.update(people)
        for person in people:
            counts[person] = counts.get(person, 0) + 1
    linked = set(
        event.requests.filter(Q(requester=present) | Q(target=present)).values_list(
            "requester_id", "target_id"
        )
    )
    linked_ids = {pk for pair in linked for pk in pair}
    candidates = []
    for registration in event.registrations.filter(status=RegistrationStatus.APPROVED).exclude(
        pk__in={present.pk, meeting.absent_id}
    ):
        person = participants[f"P{registration.pk}"]
        if registration.pk in busy or slot in person.unavailable:
            continue
        if (
            person.max_meetings is not None
            and counts.get(registration.pk, 0) >= person.max_meetings
        ):
            continue
        candidates.append(registration)
    candidates.sort(
        key=lambda r: (r.pk not in linked_ids, r.checked_in_at is None, r.company.lower())
    )
    return candidates


@transaction.atomic
def replacement_create(*, meeting: Meeting, candidate: Registration) -> Meeting:
    """A meeting between the present participant and a free one, at the no-show's table."""
    if candidate not in replacements(meeting=meeting):
        raise RuleBroken("Ce participant n'est pas libre sur ce créneau.")
    present = present_of(meeting)
    request = MeetingRequest.objects.filter(
        Q(requester=present, target=candidate) | Q(requester=candidate, target=present)
    ).first()
    if request is None:
        request = MeetingRequest.objects.create(
            event=present.event,
            requester=present,
            target=candidate,
            priority=1,
            status=RequestStatus.ACCEPTED,
        )
    elif hasattr(request, "meeting"):
        raise RuleBroken("Ces deux participants ont déjà un rendez-vous.")
    else:
        request.status = RequestStatus.ACCEPTED
        request.save(update_fields=["status"])
    return Meeting.objects.create(
        request=request, slot=meeting.slot, table=meeting.table, state=MeetingState.PUBLISHED
    )


def feedback_requests(*, now) -> int:
    """Ask the participants of the events that have ended for their opinion, once each."""
    waiting = (
        Registration.objects.filter(
            status=RegistrationStatus.APPROVED,
            event__ends_at__lt=now,
            feedback_asked_at__isnull=True,
            feedback__isnull=True,
        )
        .select_related("event", "user")
        .order_by("event_id", "id")
    )
    asked = 0
    for registration in waiting:
        with transaction.atomic():
            registration.feedback_asked_at = now
            registration.save(update_fields=["feedback_asked_at"])
            event = registration.event
            send_on_commit(
                [registration.user.email],
                subject=f"{event.title} : votre avis",
                template="events/email/feedback.txt",
                context={
                    "event": event,
                    "link": absolute_url(reverse("events:feedback", args=[event.slug])),
                },
            )
        asked += 1
    return asked


def invite_list(*, event: Event, invitation_list) -> tuple[int, int]:
    """Invite the firms of an adviser's list: their members and their contacts who consented
    to be reached. Each firm once per event; returns (firms invited, addresses written to)."""
    already = set(event.invitations.values_list("legal_unit_id", flat=True))
    link = absolute_url(reverse("events:detail", args=[event.slug]))
    firms = addresses = 0
    for entry in invitation_list.entries.select_related("legal_unit"):
        unit = entry.legal_unit
        if unit.pk in already:
            continue
        emails = set(member_emails([unit.organisation_id])) if unit.organisation_id else set()
        emails |= {c.email for c in unit.contacts.all() if c.email}
        with transaction.atomic():
            Invitation.objects.create(event=event, legal_unit=unit, recipients=len(emails))
            send_on_commit(
                sorted(emails),
                subject=f"Invitation : {event.title}",
                template="events/email/invitation.txt",
                context={"event": event, "firm": unit, "link": link},
            )
        firms += 1
        addresses += len(emails)
    return firms, addresses
