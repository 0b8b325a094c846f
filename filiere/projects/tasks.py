"""The projects' background work: the catalogue's daily duty, for beat (the command
send_aid_alerts does the same), and building the consortium candidates' index again."""

from celery import shared_task
from django.utils import timezone

from filiere.projects.adapters import rebuild_candidates
from filiere.projects.services.catalogue import send_alerts


@shared_task
def send_aid_alerts() -> dict[str, int]:
    return send_alerts(now=timezone.now())


@shared_task
def rebuild_candidates_index(*, requested_at: str | None = None) -> None:
    """Build the index of the directory's active firms as consortium candidates, unless a
    build started since ``requested_at`` (repeated, it builds once)."""
    rebuild_candidates(requested_at=requested_at)
