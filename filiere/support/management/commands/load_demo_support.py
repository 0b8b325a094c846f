"""Install the default routing rules and generate demo support needs (flagged as demo).

Run after load_demo_needs. The rules are installed once (an officer edits them
afterwards); the needs are generated once; ``--reset`` regenerates them.
"""

from filiere.common.command import DemoCommand
from filiere.support import demo


class Command(DemoCommand):
    help = __doc__
    demo = demo

    def run(self, *args, **options) -> None:
        demo.rules_install(self.summary)
        super().run(*args, **options)
