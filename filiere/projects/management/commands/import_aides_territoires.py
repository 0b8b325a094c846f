"""Import the aid schemes of Aides-territoires (the contract's région, as configured) into the
catalogue: creates, updates those not edited here, links the schemes typed here, unpublishes
those the source no longer lists.

    python -m filiere import_aides_territoires [--since 2026-01-01] [--dry-run]

Every page is read and checked before anything is written: a bad answer is reported with its
address and field, and nothing is written. Each run is recorded on /projets/aides/imports/.
"""

from datetime import date

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.projects.enums import AidImportTrigger
from filiere.projects.services.aid_import import NotConfigured, aides_territoires_import


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since : date invalide {value!r} (format 2026-01-31)") from exc


class Command(BaseCommand):
    help = __doc__
    atomic = False  # the import writes in its own transaction, and records failed runs too

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", default=None, help="Seulement les aides mises à jour depuis ce jour."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout lire et compter sans rien écrire."
        )

    def run(self, *args, since, dry_run, **options) -> None:
        since_day = _day(since) if since else None
        with self.steps("Aides-territoires") as step:
            try:
                outcome = aides_territoires_import(
                    trigger=AidImportTrigger.COMMAND,
                    since=since_day,
                    dry_run=dry_run,
                    on_page=lambda number, count: step(f"page {number} ({count} aides)"),
                )
            except NotConfigured as exc:
                raise CommandError(f"Import non configuré : {exc}.") from exc
        for title in outcome.kept_edited:
            self.stdout.write(f"Gardé, modifié ici : {title}")
        for value in sorted(outcome.unknown):
            self.stdout.write(f"Valeur inconnue — {value}")
        self.summary = outcome.summary
