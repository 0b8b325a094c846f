"""Write a contract as a file, in the layout ``import_contract`` reads (docs/contract-file.md).

    python -m filiere export_contract normandie-numerique-2017 --out contrat.xlsx
    python -m filiere export_contract normandie-numerique-2017 --out -

The format follows the extension (.yaml, .yml or .xlsx); ``--out -`` writes YAML on the
standard output (and the summary on the error output). The same contract always gives the
same file.
"""

import os
from pathlib import Path

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.programme.contract_file import YAML, contract_file_format, contract_file_render
from filiere.programme.contract_import import contract_export
from filiere.programme.models import Contract

STDOUT = "-"


class Command(BaseCommand):
    help = __doc__
    atomic = False  # reads only

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Identifiant du contrat.")
        parser.add_argument(
            "--out", required=True, help="Fichier .yaml, .yml ou .xlsx à écrire ; « - » : sortie."
        )

    def run(self, *args, slug: str, out: str, **options) -> None:
        contract = Contract.objects.filter(slug=slug).first()
        if contract is None:
            raise CommandError(f"Contrat « {slug} » introuvable.")
        file_format = YAML if out == STDOUT else contract_file_format(out)
        if file_format is None:
            raise CommandError(f"--out : {out} doit finir par .yaml, .yml ou .xlsx.")
        path = Path(out)
        if out != STDOUT and not path.parent.is_dir():
            raise CommandError(f"--out : le dossier {path.parent} de {out} n'existe pas.")
        contract_file = contract_export(contract=contract)
        content = contract_file_render(contract_file, file_format)
        if out == STDOUT:
            self.stdout.write(content.decode(), ending="")
            # The file has the standard output: the summary goes with the messages.
            self.stdout = self.stderr
        else:
            # Written beside, then moved in place: a failure leaves the former file whole.
            partial = path.with_name(f".{path.name}.partiel")
            partial.write_bytes(content)
            os.replace(partial, path)
            self.summary.add(f"fichier {out}")
        for part, rows in contract_file.rows.items():
            if rows:
                self.summary.add(part, len(rows))
