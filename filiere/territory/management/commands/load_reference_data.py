"""Load the territory and the NAF nomenclature from ``data/`` (idempotent).

Every file is read and checked first; one bad value anywhere stops the load
with its location and leaves the database as it was.
"""

from pathlib import Path

from django.conf import settings

from filiere.common.command import BaseCommand, InputErrors
from filiere.territory.reference import read_reference_data
from filiere.territory.services import reference_data_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.DATA_DIR,
            help="Dossier des données de référence (par défaut : data/ du projet).",
        )

    def run(self, *args, data_dir: Path, **options) -> None:
        self.console.print(f"Lecture des données de référence dans {data_dir}…")
        data, errors = read_reference_data(data_dir)
        if errors:
            raise InputErrors(errors)
        reference_data_load(data=data, summary=self.summary)
