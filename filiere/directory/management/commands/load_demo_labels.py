"""Generate the demo label requests (flagged as demo): the demo company requests labels and
the coordinators of the granting bodies decide them, through the label services.

Run after load_demo_data and load_demo_register (the demo company, its accounts and its
directory entry). Does nothing when the demo is already there; ``--reset`` regenerates it.
"""

from filiere.common.command import DemoCommand
from filiere.directory import demo


class Command(DemoCommand):
    help = __doc__
    demo = demo
