"""Remind the advisers of digitalisation needs nobody took (7 and 14 days, the programme
officers too from 14 days), abandon them at 30 days, as escalate_support_needs does for the
support needs (common.taking).

    python -m filiere escalate_needs [--now 2026-01-31T09:00]

Meant to run every day beside escalate_support_needs; each step happens once per need, so
running it again the same day sends nothing more.
"""

from filiere.common.command import BaseCommand, parse_moment
from filiere.needs.services import escalate


class Command(BaseCommand):
    help = __doc__
    atomic = False  # each need escalates in its own transaction

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", default=None, help="Date et heure de référence (ISO 8601), maintenant sinon."
        )

    def run(self, *args, now, **options):
        for label, count in escalate(now=parse_moment(now)).items():
            self.summary.add(label, count)
