"""Load the territory of all of France and the NAF nomenclature from ``data/`` (idempotent).

Every file is read and checked first; one bad value anywhere stops the load
with its location and leaves the database as it was. ``--regions 28,53`` loads
the communes (and the EPCI with a member there) of those régions only; the
régions, départements, their outlines and the old commune codes always load whole.
"""

from argparse import ArgumentTypeError
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
        parser.add_argument(
            "--regions",
            type=region_codes,
            default=None,
            help="Codes de régions séparés par des virgules (28,53) : seules leurs communes "
            "et leurs EPCI sont chargés (par défaut : toute la France).",
        )

    def run(self, *args, data_dir: Path, regions: list[str] | str | None, **options) -> None:
        if isinstance(regions, str):  # call_command(..., regions="28,53") skips the parser
            regions = region_codes(regions)
        with self.steps("Données de référence") as step:
            step(f"lecture de {data_dir}")
            data, errors = read_reference_data(data_dir, regions)
            if errors:
                raise InputErrors(errors)
            reference_data_load(data=data, summary=self.summary, on_step=step)


def region_codes(text: str) -> list[str]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes:
        raise ArgumentTypeError("au moins un code de région est attendu (28,53)")
    return codes
