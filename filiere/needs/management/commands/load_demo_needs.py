"""Generate demo provider offers and digitalisation needs (fixed seed, flagged as demo).

Needs the demo register (load_demo_register). Does nothing when the demo is
already there; ``--reset`` regenerates it and ``--clear`` removes it.
"""

from filiere.common.command import BaseCommand
from filiere.needs.demo import demo_clear, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Supprimer puis régénérer.")
        group.add_argument("--clear", action="store_true", help="Supprimer la démo.")

    def run(self, *args, reset: bool, clear: bool, **options) -> None:
        if clear or reset:
            demo_clear(self.summary)
            if clear:
                return
        if demo_is_loaded():
            self.summary.add("démo déjà chargée")
            return
        demo_load(self.summary)
