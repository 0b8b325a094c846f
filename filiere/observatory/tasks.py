"""The observatory's background work: the register imports started from its page, and the
watch that ends those whose worker stopped."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def import_register(self, import_id: int) -> None:
    """Run a queued import (``services.register_import_run``). A database busy or gone for a
    moment is tried again later, under the same task id, which may take the import back."""
    from filiere.observatory import services

    services.register_import_run(import_id=import_id, task_id=self.request.id or "")


@shared_task
def watch_register_imports() -> int:
    """Fail the imports whose worker stopped (beat, every FILIERE_WATCH_SECONDS)."""
    from filiere.observatory import services

    return services.register_imports_watch()
