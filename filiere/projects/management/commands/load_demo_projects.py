"""Generate the demo innovation pipeline of the Normandy contract: the real i-Lab winners
at generated stages and an aid catalogue, flagged as demo (see data/SOURCES.md).

Does nothing when the demo is already there; ``--reset`` regenerates it.
"""

from filiere.common.command import DemoCommand
from filiere.programme.demo import DEMO_PASSWORD
from filiere.projects import demo


class Command(DemoCommand):
    help = __doc__
    demo = demo

    def run(self, *args, **options) -> None:
        super().run(*args, **options)
        self.stdout.write(
            f"Expert·e de démonstration : {demo.REVIEWER_EMAIL} (mot de passe : {DEMO_PASSWORD})"
        )
