"""Import INSEE's SIRENE stock files for a territory (and optionally a sector), idempotently.

Give the establishment files (StockEtablissement…, CSV, zipped CSV or parquet)
and, to name the firms, the legal-unit files (StockUniteLegale…); each file
is recognised by its header. The files are streamed in bounded memory.

    python -m filiere import_sirene StockEtablissement_utf8.zip StockUniteLegale_utf8.zip \\
        --territory 28 --sector numerique

Re-running with the same files changes no row (and says so); a newer stock updates
what moved and closes what closed. A SIRET (or SIREN) met twice in a file is
rejected on its second line. A wrong header, an unreadable or truncated file
stops the import and writes nothing. Rejected rows are listed with their line
and column; nothing is written either, unless --accept-rejected-rows, and the
exit code is non-zero in both cases.

Programme officers run the same pipeline from the page /observatoire/imports/, in a
worker; this command serves scripts, cron, and files larger than the page takes.
"""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from engine.register.columns import LEGAL_UNIT_COLUMNS
from engine.register.reader import RegisterFileError
from filiere.common.command import BaseCommand
from filiere.common.formats import counted
from filiere.directory.services.register import RejectedRows, register_import
from filiere.observatory.selectors import observatory_scope
from filiere.observatory.services import register_imported


def is_legal_unit_file(path: Path) -> bool:
    """Tell the two layouts apart by their first column names (or the file name for archives)."""
    name = path.name.lower()
    if "unitelegale" in name:
        return True
    if "etablissement" in name or not name.endswith(".csv") or not path.is_file():
        return False
    # Only the header's names matter here: a file in another encoding is refused, line by
    # line, by the reader.
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    return tuple(header[:2]) == LEGAL_UNIT_COLUMNS[:2]


class Command(BaseCommand):
    help = __doc__
    atomic = False  # register_import runs its own transaction

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="Fichiers stock SIRENE.")
        parser.add_argument(
            "--territory",
            required=True,
            help="Code de région (28), codes de départements (14,50) ou de communes.",
        )
        parser.add_argument("--sector", default="", help="Définition de filière (ex. numerique).")
        parser.add_argument(
            "--accept-rejected-rows",
            action="store_true",
            help="Écrire les lignes valides même si d'autres sont rejetées.",
        )
        parser.add_argument("--demo", action="store_true", help="Marquer les données comme démo.")

    def run(self, *args, files, territory, sector, accept_rejected_rows, demo, **options):
        try:
            place, definition = observatory_scope(territory, sector)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        naf_codes = definition.naf_codes if definition else []
        units = [f for f in files if is_legal_unit_file(f)]
        establishments = [f for f in files if f not in units]
        if not establishments:
            raise CommandError("Aucun fichier d'établissements (StockEtablissement) donné.")

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,} lignes"),
            TimeElapsedColumn(),
            console=self.console,
            disable=self.console.quiet,
        ) as progress:
            task = progress.add_task(f"Import SIRENE — {place.label}", total=None)
            try:
                result = register_import(
                    establishment_files=establishments,
                    legal_unit_files=units,
                    departements=place.departements,
                    communes=place.communes,
                    naf_codes=naf_codes,
                    territory_label=place.label,
                    sector_label=sector,
                    accept_rejected_rows=accept_rejected_rows,
                    is_demo=demo,
                    on_batch=lambda n: progress.advance(task, n),
                )
            except RegisterFileError as exc:
                for problem in exc.report.problems:
                    self.stderr.write(str(problem))
                raise CommandError("Fichier illisible : rien n'a été écrit.") from exc
            except RejectedRows as exc:
                self._report(exc.result.problems, exc.result.rejected)
                raise CommandError(
                    f"{counted(exc.result.rejected, 'ligne rejetée', 'lignes rejetées')}, "
                    f"{counted(exc.result.kept, 'ligne valide', 'lignes valides')} : "
                    "rien n'a été écrit (--accept-rejected-rows pour écrire les "
                    "lignes valides)."
                ) from exc
        if result.changed:
            register_imported(departements=place.departements)
        else:
            self.stdout.write("Le registre dit déjà ce que disent ces fichiers : rien n'a changé.")
        self.summary.add("établissements créés", result.created)
        self.summary.add("mis à jour", result.updated)
        self.summary.add("inchangés", result.unchanged)
        self.summary.add("fermés depuis le dernier import", result.closed)
        self.summary.add("unités légales créées ou mises à jour", result.legal_units)
        self.summary.add("lignes rejetées", result.rejected)
        if result.rejected:
            self._report(result.problems, result.rejected)
            self.stdout.write(f"Terminé — {self.summary}")
            raise CommandError(
                f"{counted(result.rejected, 'ligne rejetée', 'lignes rejetées')} ; "
                "les lignes valides sont écrites."
            )

    def _report(self, problems, rejected: int) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        if rejected > len(problems):
            self.stderr.write(
                "… et "
                + counted(rejected - len(problems), "autre ligne rejetée", "autres lignes rejetées")
                + "."
            )
