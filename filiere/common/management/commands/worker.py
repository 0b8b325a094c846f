"""Start a worker of the task queue (Celery): it runs the background work the pages and beat
enqueue. Start as many as wanted, on any machine that reaches the database and the broker."""

from django.conf import settings
from django.core.management.base import BaseCommand

from filiere.celery import app


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=2, help="tasks run at once (processes)"
        )
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", default=None, help="the worker's name (celery@host)")

    def handle(self, *args, concurrency, loglevel, hostname, **options):
        broker = settings.CELERY_BROKER_URL
        where = "Redis" if broker.startswith("redis") else broker.split(":", 1)[0]
        self.stdout.write(f"Worker of the task queue ({where}), {concurrency} at a time.")
        argv = ["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}"]
        if hostname:
            argv.append(f"--hostname={hostname}")
        app.worker_main(argv)
