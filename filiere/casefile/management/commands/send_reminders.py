"""Mail the partners the follow-up reminders due on the day (or missed before), once each.

    python -m filiere send_reminders [--now 2026-03-15T07:30]

Meant to run daily (cron); running it again sends nothing more.
"""

from django.utils import timezone

from filiere.casefile.services import reminders_send
from filiere.common.command import BaseCommand, parse_moment


class Command(BaseCommand):
    help = __doc__
    atomic = False  # each reminder in its own transaction

    def add_arguments(self, parser):
        parser.add_argument("--now", default=None, help="Date et heure de référence (ISO 8601).")

    def run(self, *args, now, **options):
        day = timezone.localdate(parse_moment(now))
        self.summary.add("rappels envoyés", reminders_send(day=day))
