"""A long task's heartbeat: a thread of the worker that writes, every few seconds, that the
task is alive, and learns when the task is no longer this worker's (cancelled, taken over)."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat(beat: Callable[[], bool], *, every: float, name: str) -> Iterator[threading.Event]:
    """Call ``beat`` every ``every`` seconds on a thread of its own while the block runs.
    ``beat`` writes the task's row and says whether it is still this worker's; once it is not,
    the event yielded is set, for the work to stop. A beat the database misses is logged and
    tried again at the next one; the thread closes its own connections."""
    lost = threading.Event()
    done = threading.Event()

    def run() -> None:
        try:
            while not done.wait(every):
                try:
                    if not beat():
                        lost.set()
                except DatabaseError:
                    logger.warning("Heartbeat %s not written", name, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        done.set()
        thread.join()
