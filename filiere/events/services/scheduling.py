"""The schedule of a matchmaking event: a run of the scheduler (in the background while the
page follows it), moves by hand, and publication to the participants."""

import threading
from contextlib import nullcontext

from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.common.heartbeat import heartbeat
from filiere.common.queue import enqueue_on_commit
from filiere.common.refusals import Refused
from filiere.events import access, adapters, tasks
from filiere.events.enums import MeetingState, RegistrationStatus, RunStatus
from filiere.events.models import (
    RUN_ATTEMPTS,
    RUN_SILENT,
    RUN_UNCLAIMED,
    SCHEDULE_SECONDS,
    Event,
    Meeting,
    ScheduleRun,
    Slot,
)
from filiere.events.services.webhooks import tell_published
from filiere.programme.figures import figures_changed

# Written like the other progress notes, in French (the run's record, not the page's text).
PREPARING = "Préparation…"
CANCELLED = "Calcul annulé par l'organisateur."
TAKEN_OVER = "Le worker qui calculait s'est arrêté : le calcul reprend (essai {attempt} sur {of})."
LOST = (
    "Le worker qui calculait s'est arrêté, à chacun des {of} essais : relancez le calcul "
    "(et voyez les journaux des workers)."
)
UNCLAIMED = (
    "Aucun worker n'a pris le calcul en {minutes} minutes : vérifiez que les workers tournent "
    "(python -m filiere worker), puis relancez-le."
)
DATABASE_LOST = "La base de données n'a pas répondu pendant le calcul : relancez-le. ({error})"
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


def schedule_start(
    *,
    user,
    event: Event,
    seconds: float = SCHEDULE_SECONDS,
    background: bool = True,
    keep_published: bool = True,
) -> ScheduleRun:
    """Queue a run of the scheduler, unless one is under way; published meetings stay unless
    ``keep_published`` is false (they are then planned again, as drafts). A worker runs it
    once this transaction commits, and the page follows its progress. ``background=False``
    runs it here and now (the demo loader, which has no worker to wait for)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # one start at a time
        runs_watch(event=event)
        access.check_schedule(user, event)
        run = ScheduleRun.objects.create(
            event=event, progress=PREPARING, keep_published=keep_published, seconds=seconds
        )
        if background:
            enqueue_on_commit(tasks.run_schedule, run.pk, run.attempt)
    if not background:
        schedule_run(run_id=run.pk, attempt=run.attempt, follow=False, last_try=True)
    run.refresh_from_db()
    return run


def schedule_cancel(*, user, event: Event) -> int:
    """Cancel the run under way: its worker stops the search at its next heartbeat and
    writes nothing."""
    access.check_cancel_run(user, event)
    return event.runs.filter(status__in=ACTIVE).update(
        status=RunStatus.CANCELLED, progress=CANCELLED, finished_at=timezone.now()
    )


class RunInterrupted(Exception):
    """The database failed the run midway: the run is back in the queue, to try later."""


def schedule_run(
    *, run_id: int, attempt: int, task_id: str = "", follow: bool = True, last_try: bool
) -> str:
    """A worker's run: take the queued run (once: another delivery of the same task, or an
    attempt taken over since, finds nothing to take), search with a heartbeat thread that
    writes the progress each second and stops the search if the run was cancelled or taken
    over, then replace the drafts with the schedule found. ``follow=False`` runs without the
    heartbeat (the task run at once, in the tests and the demo loader)."""
    taken = ScheduleRun.objects.filter(pk=run_id, attempt=attempt, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, heartbeat_at=timezone.now(), task_id=task_id
    )
    if not taken:
        return "skipped"
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    mine = ScheduleRun.objects.filter(pk=run_id, attempt=attempt, status=RunStatus.RUNNING)
    latest: dict = {}

    def beat() -> bool:
        """The heartbeat, with the best total found so far. The solver reports from its own
        threads: they only note the figures, so that no solver thread opens a connection."""
        fields = {"heartbeat_at": timezone.now()}
        if latest:
            fields["progress"] = (
                f"Meilleur total trouvé : {latest['value']} ({latest['seconds']:.0f} s)"
            )
        return bool(mine.update(**fields))

    following = (
        heartbeat(beat, every=1.0, name=f"run-{run_id}")
        if follow
        else nullcontext(threading.Event())
    )
    with following as lost:
        try:
            planning = adapters.plan(
                run.event,
                seconds=run.seconds,
                keep_published=run.keep_published,
                on_progress=lambda value, elapsed: latest.update(value=value, seconds=elapsed),
                stop=lost,
            )
        except adapters.PlanStopped:
            return "stopped"
        except (OperationalError, InterfaceError) as exc:  # the database went away: try later
            if last_try:
                mine.update(
                    status=RunStatus.FAILED,
                    progress=DATABASE_LOST.format(error=exc)[:200],
                    finished_at=timezone.now(),
                )
                return "failed"
            mine.update(status=RunStatus.QUEUED, queued_at=timezone.now(), heartbeat_at=None)
            raise RunInterrupted(str(exc)) from exc
        except Exception as exc:  # the page must say it failed rather than spin forever
            mine.update(
                status=RunStatus.FAILED, progress=str(exc)[:200], finished_at=timezone.now()
            )
            raise
    return _schedule_save(run_id=run_id, attempt=attempt, planning=planning)


@transaction.atomic
def _schedule_save(*, run_id: int, attempt: int, planning) -> str:
    run = ScheduleRun.objects.select_for_update().select_related("event").get(pk=run_id)
    if run.status != RunStatus.RUNNING or run.attempt != attempt:  # cancelled meanwhile
        return "stopped"
    replaced = [MeetingState.DRAFT]
    if not run.keep_published:
        replaced.append(MeetingState.PUBLISHED)
    Meeting.objects.filter(request__event=run.event, state__in=replaced).delete()
    Meeting.objects.bulk_create(planning.meetings)
    figures_changed()
    run.status = RunStatus.DONE
    run.objective = planning.objective
    run.upper_bound = planning.upper_bound
    run.greedy = planning.greedy
    run.progress = ""
    run.finished_at = timezone.now()
    run.save()
    return "done"


def runs_watch(*, event: Event | None = None, now=None) -> dict[str, int]:
    """The rule that no run is left running: a running run whose worker fell silent is
    queued again for another worker (up to ``RUN_ATTEMPTS`` tries), then failed with the
    reason; a run no worker took in ``RUN_UNCLAIMED`` is failed, saying so. Beat runs it
    every few seconds for every event, and the organiser's page for its own."""
    now = now or timezone.now()
    runs = ScheduleRun.objects.filter(status__in=ACTIVE)
    if event is not None:
        runs = runs.filter(event=event)
    counts = {"repris": 0, "en échec": 0}
    for run in runs.only("pk", "status", "attempt", "heartbeat_at", "queued_at"):
        same = ScheduleRun.objects.filter(pk=run.pk, status=run.status, attempt=run.attempt)
        if run.status == RunStatus.RUNNING:
            beat = run.heartbeat_at or run.queued_at
            if beat >= now - RUN_SILENT:
                continue
            if run.attempt < RUN_ATTEMPTS:
                again = run.attempt + 1
                if same.update(
                    status=RunStatus.QUEUED,
                    attempt=again,
                    queued_at=now,
                    heartbeat_at=None,
                    progress=TAKEN_OVER.format(attempt=again, of=RUN_ATTEMPTS),
                ):
                    enqueue_on_commit(tasks.run_schedule, run.pk, again)
                    counts["repris"] += 1
                continue
            counts["en échec"] += same.update(
                status=RunStatus.FAILED, progress=LOST.format(of=RUN_ATTEMPTS), finished_at=now
            )
        elif run.queued_at < now - RUN_UNCLAIMED:
            counts["en échec"] += same.update(
                status=RunStatus.FAILED,
                progress=UNCLAIMED.format(minutes=int(RUN_UNCLAIMED.total_seconds() // 60)),
                finished_at=now,
            )
    return counts


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
    figures_changed()
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
        category=MailCategory.TRANSACTIONAL,
    )
    tell_published(event, people, count)
    return count
