"""Generate the demo residences and registers of the Normandy contract: real third places,
generated hostings, datalab projects and training paths, flagged as demo (see data/SOURCES.md).

Does nothing when the demo is already there; ``--reset`` regenerates it.
"""

from filiere.common.command import DemoCommand
from filiere.registers import demo


class Command(DemoCommand):
    help = __doc__
    demo = demo
