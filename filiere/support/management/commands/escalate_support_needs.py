"""Remind the offices of support needs nobody took (7 and 14 days), abandon them at 30 days.

    python -m filiere escalate_support_needs [--now 2026-01-31T09:00]

Meant to run every day (cron or a systemd timer); each step happens once per
need, so running it again the same day sends nothing more.
"""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from filiere.common.command import BaseCommand
from filiere.support.services import escalate


class Command(BaseCommand):
    help = __doc__
    atomic = False  # each need escalates in its own transaction

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", default=None, help="Date et heure de référence (ISO 8601), maintenant sinon."
        )

    def run(self, *args, now, **options):
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(
                    f"--now : date invalide {now!r} (format 2026-01-31T09:00)"
                ) from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        else:
            moment = timezone.now()
        for label, count in escalate(now=moment).items():
            self.summary.add(label, count)
