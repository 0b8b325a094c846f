"""The projects' background work: the catalogue's daily duties, for beat (the commands
send_aid_alerts and import_aides_territoires do the same), and building the consortium
candidates' index again."""

from celery import shared_task
from django.utils import timezone

from filiere.common.command import InputErrors
from filiere.projects.adapters import rebuild_candidates
from filiere.projects.enums import AidImportTrigger
from filiere.projects.services.aid_import import NotConfigured, aides_territoires_import
from filiere.projects.services.catalogue import send_alerts


@shared_task
def send_aid_alerts() -> dict[str, int]:
    return send_alerts(now=timezone.now())


@shared_task
def import_aides_territoires() -> dict[str, int]:
    """The daily import; a run that cannot be made (not configured, a bad answer) is
    recorded and logged by the import, and leaves the catalogue as it was."""
    try:
        return aides_territoires_import(trigger=AidImportTrigger.DAILY).summary.counts
    except (NotConfigured, InputErrors):
        return {}


@shared_task
def rebuild_candidates_index(*, requested_at: str | None = None) -> None:
    """Build the index of the directory's active firms as consortium candidates, unless a
    build started since ``requested_at`` (repeated, it builds once)."""
    rebuild_candidates(requested_at=requested_at)
