"""Print the offices' activity for a period: per office and subject, the needs received, taken,
taken within 5 working days, the median days to take, closed, abandoned, and satisfaction.

    python -m filiere office_activity --office cci-normandie \\
        --from 2018-01-01 --to 2019-12-31 --format json

``--office all`` gives every office that receives needs. The figures are the activity page's
and its CSV's (``activity.selectors``); ``--format csv`` writes that CSV.
"""

import json
from datetime import date

from django.core.management.base import CommandError

from filiere.activity import exports
from filiere.activity.selectors import SUBJECT_LABELS, office_activity, receiving_offices
from filiere.common.command import BaseCommand
from filiere.common.exports import csv_export


def _day(option: str):
    def parse(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"{option} : date invalide {value!r} (format 2019-12-31)") from exc

    return parse


class Command(BaseCommand):
    help = __doc__
    atomic = False

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Identifiant du bureau, ou « all ».")
        parser.add_argument("--from", dest="start", required=True, type=_day("--from"))
        parser.add_argument("--to", dest="end", required=True, type=_day("--to"))
        parser.add_argument("--subject", default="", help="Un sujet ou un domaine (code).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, office, start, end, subject, format, **options):
        if start > end:
            raise CommandError(f"--to : le {end} précède le début de la période, le {start}.")
        if subject and subject not in SUBJECT_LABELS:
            raise CommandError(
                f"--subject : sujet inconnu {subject!r} (parmi : {', '.join(SUBJECT_LABELS)})."
            )
        offices = receiving_offices()
        if office != "all":
            offices = offices.filter(slug=office)
            if not offices:
                raise CommandError(
                    f"--office : aucun bureau ne reçoit de besoins sous l'identifiant {office!r}."
                )
        rows = office_activity(offices, start=start, end=end, subject=subject).rows
        if format == "json":
            self.stdout.write(
                json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2)
            )
        else:
            response = csv_export("activite.csv", exports.OFFICE_ACTIVITY, rows)
            self.stdout.write(response.content.decode("utf-8").lstrip("\ufeff"), ending="")
        self.stderr.write(f"Terminé — {len(rows)} lignes du {start} au {end}.")
