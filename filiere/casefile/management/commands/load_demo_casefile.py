"""Give the demo firm (Atelier Pixel) a case file with one entry of each kind and a note for
every partner (flagged as demo).

Needs the scenario and the demo firm's entry (load_demo_register). Does nothing when the demo
is already there.
"""

from filiere.casefile.demo import demo_is_loaded, demo_load
from filiere.common.command import BaseCommand


class Command(BaseCommand):
    help = __doc__

    def run(self, *args, **options) -> None:
        if demo_is_loaded():
            self.summary.add("démo déjà chargée")
            return
        demo_load(self.summary)
