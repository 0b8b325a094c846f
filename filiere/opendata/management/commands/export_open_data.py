"""Write one of the open-data exports in its official schema (schema.data.gouv.fr) as CSV.

    python -m filiere export_open_data --schema scdl-subventions --out subventions.csv
    python -m filiere export_open_data --schema lieux-mediation-numerique --out -

``--out -`` writes the CSV on the standard output (and the summary on the error output).
"""

import os
from pathlib import Path

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.common.exports import schema_csv_lines
from filiere.opendata.exports import EXPORTS

STDOUT = "-"


class Command(BaseCommand):
    help = __doc__
    atomic = False  # reads only

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help=f"Parmi : {', '.join(EXPORTS)}.")
        parser.add_argument("--out", required=True, help="Fichier CSV à écrire, « - » : sortie.")

    def run(self, *args, schema: str, out: str, **options) -> None:
        schema_export = EXPORTS.get(schema)
        if schema_export is None:
            raise CommandError(
                f"--schema : schéma inconnu « {schema} » ; les schémas sont : {', '.join(EXPORTS)}."
            )
        path = Path(out)
        if out != STDOUT and not path.parent.is_dir():
            raise CommandError(f"--out : le dossier {path.parent} de {out} n'existe pas.")
        built = schema_export.build()
        lines = schema_csv_lines(schema_export.fields, built.rows)
        if out == STDOUT:
            for line in lines:
                self.stdout.write(line, ending="")
            # The CSV has the standard output: the summary goes with the messages.
            self.stdout = self.stderr
        else:
            # Written beside, then moved in place: a failure leaves the former file whole.
            partial = path.with_name(f".{path.name}.partiel")
            with partial.open("w", encoding="utf-8", newline="") as file:
                file.writelines(lines)
            os.replace(partial, path)
            self.summary.add(f"fichier {out}")
        for reason in built.left_out:
            self.stderr.write(f"laissé de côté — {reason}")
        self.summary.add(f"{schema_export.counted} exportés", len(built.rows))
        if built.left_out:
            self.summary.add("laissés de côté (valeur requise manquante)", len(built.left_out))
