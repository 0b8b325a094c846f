"""Generate the demo events of the Normandy contract (the contract's shows and missions,
a matchmaking meeting with its schedule), flagged as demo. Run after load_demo_needs.

Does nothing when the demo is already there; ``--reset`` regenerates it.
"""

from filiere.common.command import DemoCommand
from filiere.events import demo


class Command(DemoCommand):
    help = __doc__
    demo = demo
