"""Write the aid catalogue as a CSV in the official « dispositif d'aide » schema
(professionnels variant, schema.data.gouv.fr).

    python -m filiere export_aid_schemes --out aides.csv
"""

from pathlib import Path

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.projects.exports import aid_schemes_csv
from filiere.projects.selectors import published_schemes


class Command(BaseCommand):
    help = __doc__
    atomic = False  # reads only

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Fichier CSV à écrire.")

    def run(self, *args, out: str, **options) -> None:
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"{out} : le dossier {path.parent} n'existe pas.")
        schemes = published_schemes().order_by("title")
        path.write_text(aid_schemes_csv(schemes), encoding="utf-8")
        self.summary.add("dispositifs exportés", schemes.count())
        self.summary.add(f"fichier {out}")
