"""Generate the demo innovation pipeline of the Normandy contract: the real i-Lab winners
at generated stages and an aid catalogue, flagged as demo (see data/SOURCES.md).

Does nothing when the demo is already there; ``--reset`` regenerates it.
"""

from filiere.common.command import BaseCommand
from filiere.programme.demo import DEMO_PASSWORD
from filiere.projects.demo import REVIEWER_EMAIL, demo_clear, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--reset", action="store_true", help="Supprimer puis régénérer.")

    def run(self, *args, reset: bool, **options) -> None:
        if reset:
            demo_clear(self.summary)
        if demo_is_loaded():
            self.summary.add("démo déjà chargée")
        else:
            demo_load(self.summary)
        self.stdout.write(
            f"Expert·e de démonstration : {REVIEWER_EMAIL} (mot de passe : {DEMO_PASSWORD})"
        )
