"""Install the default routing rules and generate demo support needs (flagged as demo).

Run after load_demo_needs. The rules are installed once (an officer edits them
afterwards); the needs are generated once; ``--reset`` regenerates them.
"""

from filiere.common.command import BaseCommand
from filiere.support.demo import demo_clear, demo_is_loaded, demo_load, rules_install


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--reset", action="store_true", help="Supprimer puis régénérer.")

    def run(self, *args, reset: bool, **options) -> None:
        rules_install(self.summary)
        if reset:
            demo_clear(self.summary)
        if demo_is_loaded():
            self.summary.add("démo déjà chargée")
            return
        demo_load(self.summary)
