"""E-mail the owners of saved catalogue searches the schemes published since their last alert.

    python -m filiere send_aid_alerts [--now 2026-01-31T09:00]

Meant to run every day; each scheme is announced once per search.
"""

from filiere.common.command import BaseCommand, parse_moment
from filiere.projects.services.catalogue import send_alerts


class Command(BaseCommand):
    help = __doc__
    atomic = False  # each search in its own transaction

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", default=None, help="Date et heure de référence (ISO 8601), maintenant sinon."
        )

    def run(self, *args, now, **options):
        for label, count in send_alerts(now=parse_moment(now)).items():
            self.summary.add(label, count)
