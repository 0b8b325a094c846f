"""Start the periodic scheduler of the task queue (Celery beat): it enqueues the daily duties
(escalations, feedback requests, aid alerts) and the watches. Run one per installation."""

from django.conf import settings
from django.core.management.base import BaseCommand

from filiere.celery import app


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, loglevel, **options):
        duties = ", ".join(sorted(settings.CELERY_BEAT_SCHEDULE)) or "none"
        self.stdout.write(f"Periodic scheduler; duties: {duties}.")
        schedule = settings.CELERY_BEAT_SCHEDULE_FILENAME
        app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule}"])
