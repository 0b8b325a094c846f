"""Mail each office that received needs last quarter its activity, to its managers (the Region's
programme officers when nobody runs its team). Beat does it on each quarter's first day."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from filiere.activity.services import activity_mail_quarter
from filiere.common.command import BaseCommand


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today : date invalide {value!r} (format 2019-07-01)") from exc


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--today", type=_day, default=None, help="Le trimestre avant ce jour.")

    def run(self, *args, today, **options) -> None:
        told = activity_mail_quarter(today=today or timezone.localdate())
        self.summary.add("bureaux informés", told)
