"""The schedule of a matchmaking event: a run of the scheduler (in the background while the
page follows it), moves by hand, and publication to the participants."""

import threading

from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.common.refusals import Refused
from filiere.events import access, adapters
from filiere.events.enums import MeetingState, RegistrationStatus, RunStatus
from filiere.events.models import RUN_OVERDUE, SCHEDULE_SECONDS, Event, Meeting, ScheduleRun, Slot

# Written like the other progress notes, in French (the run's record, not the page's text).
INTERRUPTED = "Calcul interrompu (redémarrage du serveur) : relancez-le."


def _fail_overdue_runs(event: Event) -> None:
    """Runs still « running » long after their time limit were cut short (the server
    restarted): they are recorded as failed, with why."""
    now = timezone.now()
    event.runs.filter(status=RunStatus.RUNNING, started_at__lt=now - RUN_OVERDUE).update(
        status=RunStatus.FAILED,
        progress=INTERRUPTED,
        finished_at=now,
    )


def schedule_start(
    *,
    user,
    event: Event,
    seconds: float = SCHEDULE_SECONDS,
    background: bool = True,
    keep_published: bool = True,
) -> ScheduleRun:
    """Start a run of the scheduler, unless one is running; published meetings stay unless
    ``keep_published`` is false (they are then planned again, as drafts). The page follows
    its progress."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # one start at a time
        access.check_schedule(user, event)
        _fail_overdue_runs(event)
        run = ScheduleRun.objects.create(
            event=event, progress="Préparation…", keep_published=keep_published
        )
        if background:  # the thread reads the run: once it is committed
            thread = threading.Thread(target=_run_in_thread, args=(run.pk, seconds), daemon=True)
            transaction.on_commit(thread.start)
    if not background:
        schedule_execute(run=run, seconds=seconds)
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
            run=ScheduleRun.objects.select_related("event").get(pk=run_id),
            seconds=seconds,
            on_progress=lambda value, elapsed: latest.update(value=value, seconds=elapsed),
        )
    finally:
        done.set()
        writer.join()
        connections.close_all()  # this thread's own connections


def schedule_execute(*, run: ScheduleRun, seconds: float, on_progress=None) -> None:
    """The run itself: the drafts (and, when asked, the published meetings) are replaced by
    the solver's schedule, and the run records its figures."""
    event = run.event
    try:
        planning = adapters.plan(
            event, seconds=seconds, keep_published=run.keep_published, on_progress=on_progress
        )
        with transaction.atomic():
            replaced = [MeetingState.DRAFT]
            if not run.keep_published:
                replaced.append(MeetingState.PUBLISHED)
            Meeting.objects.filter(request__event=event, state__in=replaced).delete()
            Meeting.objects.bulk_create(planning.meetings)
            run.status = RunStatus.DONE
            run.objective = planning.objective
            run.upper_bound = planning.upper_bound
            run.greedy = planning.greedy
            run.progress = ""
            run.finished_at = timezone.now()
            run.save()
    except Exception as exc:  # the page must say it failed rather than spin forever
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, progress=str(exc)[:200], finished_at=timezone.now()
        )
        raise


@transaction.atomic
def meeting_move(*, user, meeting: Meeting, slot: Slot, table: int) -> Meeting:
    """Move a meeting by hand; refused, with the rules it would break, if it breaks one."""
    access.check_move(user, meeting)
    broken = adapters.move_breaks(meeting, slot=slot, table=table)
    if broken:
        raise Refused(
            f"events.schedule.{broken[0].rule}",
            _("Déplacement refusé : %(why)s") % {"why": "; ".join(b.text for b in broken)},
        )
    meeting.slot = slot
    meeting.table = table
    meeting.save(update_fields=["slot", "table"])
    return meeting


@transaction.atomic
def schedule_publish(*, user, event: Event) -> int:
    """Publish the drafts; every participant is told their agenda is ready."""
    access.check_publish(user, event)
    count = Meeting.objects.filter(request__event=event, state=MeetingState.DRAFT).update(
        state=MeetingState.PUBLISHED
    )
    # Not an edit of the event (its history is the organiser's edits): no save.
    event.schedule_published_at = timezone.now()
    Event.objects.filter(pk=event.pk).update(schedule_published_at=event.schedule_published_at)
    people = event.registrations.filter(status=RegistrationStatus.APPROVED).select_related("user")
    send_on_commit(
        [r.email for r in people],
        subject=f"{event.title} : vos rendez-vous sont publiés",
        template="events/email/published.txt",
        context={
            "event": event,
            "link": absolute_url(reverse("events:meetings", args=[event.slug])),
        },
    )
    return count
