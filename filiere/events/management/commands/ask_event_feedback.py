"""Ask the participants of the events that have ended for their feedback (once each).

    python -m filiere ask_event_feedback [--now 2026-01-31T09:00]

Meant to run daily (cron); running it again sends nothing more.
"""

from filiere.common.command import BaseCommand, parse_moment
from filiere.events.services.feedback import feedback_requests


class Command(BaseCommand):
    help = __doc__
    atomic = False  # each request in its own transaction

    def add_arguments(self, parser):
        parser.add_argument("--now", default=None, help="Date et heure de référence (ISO 8601).")

    def run(self, *args, now, **options):
        self.summary.add("avis demandés", feedback_requests(now=parse_moment(now)))
