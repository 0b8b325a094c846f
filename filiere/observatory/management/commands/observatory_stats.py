"""Print the observatory's figures for a territory × sector × date (JSON or text).

    python -m filiere observatory_stats --territory 28 --sector numerique \
        --at 2019-01-01 --format json

Active establishments are those created on or before the date and not closed by
then (état administratif « A » at the date; today's stock without --at).
"""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from filiere.common.command import BaseCommand
from filiere.observatory.selectors import observatory_scope, sector_stats, stats_as_dict


class Command(BaseCommand):
    help = __doc__
    atomic = False

    def add_arguments(self, parser):
        parser.add_argument("--territory", required=True)
        parser.add_argument("--sector", default="")
        parser.add_argument("--at", type=date.fromisoformat, default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, territory, sector, at, format, **options):
        try:
            place, definition = observatory_scope(territory, sector)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        day = at or timezone.localdate()
        stats = sector_stats(territory=place, sector=definition, at=day)
        figures = stats_as_dict(stats)
        if format == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{place.label} — {sector or 'toutes activités'} — au {day}")
        self.stdout.write(f"Établissements actifs : {stats.establishments_active}")
        self.stdout.write(
            f"Emplois estimés : {stats.jobs.low} – {stats.jobs.central:.0f} – {stats.jobs.high}"
        )
        for code, n in stats.by_departement.items():
            self.stdout.write(f"  {code} : {n}")
