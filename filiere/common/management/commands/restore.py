"""Restore a backup written by ``backup`` into an empty database and the document storage,
then check every table's rows and every document's SHA-256 against its manifest."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import CommandError

from filiere.common.backups import BackupError, backup_restore
from filiere.common.command import BaseCommand


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (base et documents) dans une base vide, puis vérifie le "
        "nombre de lignes de chaque table et l'empreinte de chaque document."
    )
    atomic = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("archive", help="Archive écrite par la commande backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer ce que contiennent la base et le stockage des documents.",
        )

    def run(self, *args, archive: str, force: bool, **options) -> None:
        with self.steps("Restauration") as step:
            try:
                manifest = backup_restore(
                    path=Path(archive),
                    storage=default_storage,
                    force=force,
                    progress=step,
                )
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sauvegarde du {manifest['created_at']} restaurée et vérifiée "
            f"({manifest['vendor']}, {len(manifest['migrations'])} applications migrées)."
        )
        self.summary.add("tables vérifiées", len(manifest["tables"]))
        self.summary.add("lignes", sum(manifest["tables"].values()))
        self.summary.add("documents vérifiés", len(manifest["files"]))
