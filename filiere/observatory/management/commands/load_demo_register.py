"""Generate and import the demo register of the platform's région (``FILIERE_REGION``,
flagged demo), unless it is there.

The generated stock follows INSEE's exact layouts and goes through import_sirene's
pipeline. ``--force`` imports it again (an idempotent upsert).
"""

from filiere.common.command import BaseCommand
from filiere.observatory.demo import DEMO_ROWS, demo_register_load, demo_register_loaded


class Command(BaseCommand):
    help = __doc__
    atomic = False

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=DEMO_ROWS)
        parser.add_argument("--force", action="store_true")

    def run(self, *args, rows: int, force: bool, **options) -> None:
        if demo_register_loaded() and not force:
            self.summary.add("registre de démonstration déjà chargé")
            return
        self.console.print(f"Génération et import d'un registre de démonstration ({rows} lignes)…")
        result = demo_register_load(rows=rows)
        self.summary.add("établissements créés", result.created)
        self.summary.add("mis à jour", result.updated)
        self.summary.add("unités légales", result.legal_units)
