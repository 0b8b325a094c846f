"""Add training paths to a région's register from a CSV file.

    python -m filiere import_training_paths paths.csv [--region CODE] [--dry-run]

Columns (``;`` or ``,``, UTF-8, as the register's own export writes them):
intitule, organisme, modalite (code or label), heures, cree_le (YYYY-MM-DD), and
optionally siren (links the provider to the directory) and lien. Every problem
is reported with its line and column and nothing is written; a path already in
the register (same title, provider and creation date) is not added twice.
"""

from pathlib import Path

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.registers.imports import import_training_paths
from filiere.territory.models import Region
from filiere.territory.selectors import site_region_code


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--region",
            default=site_region_code(),
            help="Code de la région (par défaut celle de la plateforme, FILIERE_REGION).",
        )

    def run(self, *args, file: Path, region: str, **options) -> None:
        target = Region.objects.filter(code=region).first()
        if target is None:
            raise CommandError(f"Région inconnue : {region}")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} : lecture impossible ({exc})") from exc
        import_training_paths(text=text, source=str(file), region=target, summary=self.summary)
