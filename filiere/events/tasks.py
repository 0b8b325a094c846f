"""The events' background work: the meeting scheduler's runs and their watch."""

from celery import shared_task

# A run the database failed midway is tried again after 10 s, 20 s, 40 s.
RUN_RETRIES = 3


@shared_task(bind=True, max_retries=RUN_RETRIES)
def run_schedule(self, run_id: int, attempt: int) -> str:
    from filiere.events.services import scheduling

    try:
        return scheduling.schedule_run(
            run_id=run_id,
            attempt=attempt,
            task_id=self.request.id or "",
            follow=not self.request.is_eager,
            last_try=self.request.retries >= self.max_retries,
        )
    except scheduling.RunInterrupted as exc:
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc


@shared_task
def ask_event_feedback() -> int:
    """The daily duty (the command ask_event_feedback does the same)."""
    from django.utils import timezone

    from filiere.events.services.feedback import feedback_requests

    return feedback_requests(now=timezone.now())


@shared_task
def watch_schedule_runs() -> dict[str, int]:
    from filiere.events.services import scheduling

    return scheduling.runs_watch()
