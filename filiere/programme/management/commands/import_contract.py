"""Load a whole contract from a file, YAML or XLSX (the layout of docs/contract-file.md).

    python -m filiere import_contract contrat.xlsx [--update] [--dry-run]

Every problem is printed with where it is (sheet, row and column; or key path and line) and
nothing is written unless the whole file is right. What is missing is created; rows already
there are left as users changed them, unless ``--update`` (the file's fields are rewritten).
``--dry-run`` checks and counts what would be created, writing nothing.
"""

from pathlib import Path

from filiere.common.command import BaseCommand, InputErrors
from filiere.programme.contract_file import FileProblem, contract_file_read
from filiere.programme.contract_import import contract_import


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path, help="Fichier .yaml, .yml ou .xlsx.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Réécrire aussi les faits déjà en base (sinon seuls les manquants sont créés).",
        )

    def run(self, *args, file: Path, update: bool, **options) -> None:
        try:
            content = file.read_bytes()
        except OSError as exc:
            problem = FileProblem(str(file), f"lecture impossible ({exc.strerror})")
            raise InputErrors([problem]) from exc
        contract_file = contract_file_read(content=content, name=str(file))
        contract = contract_import(contract_file=contract_file, summary=self.summary, update=update)
        self.console.print(f"Contrat : {contract.title} ({contract.slug})")
