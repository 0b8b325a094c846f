"""Back up the platform: the database (consistent while the site runs) and every stored
document, with a manifest, in one .tar.gz that ``restore`` reads."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import CommandError

from filiere.common.backups import BackupError, backup_create
from filiere.common.command import BaseCommand


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les documents dans une archive .tar.gz."
    atomic = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--out", required=True, help="Archive à écrire (.tar.gz).")

    def run(self, *args, out: str, **options) -> None:
        with self.steps("Sauvegarde") as step:
            try:
                manifest = backup_create(
                    out=Path(out),
                    storage=default_storage,
                    progress=step,
                )
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.summary.add("tables", len(manifest["tables"]))
        self.summary.add("lignes", sum(manifest["tables"].values()))
        self.summary.add("documents", len(manifest["files"]))
        self.summary.add("octets de documents", sum(f["size"] for f in manifest["files"]))
        self.stdout.write(f"Sauvegarde écrite : {out}")
