"""Enqueue background work once the transaction that decided it commits.

A task enqueued for a write that is rolled back would run for nothing, or on rows that do not
exist: it goes once the write commits. If the broker cannot take it then, what was written
stays, and the failure is logged: each kind of work has its own way to be taken up again (the
outbox's mails are resent by ``resend_waiting_mails``, a run nobody took is failed by the runs'
watch, saying so), so a broker outage never turns a saved action into an error page.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


def enqueue(task, *args, what: str = "", **kwargs) -> bool:
    """Enqueue now; a broker that does not take the task is logged (as ``what``, by default
    the task and its arguments), and said (``False``)."""
    try:
        task.delay(*args, **kwargs)
    except BrokerUnreachable:
        what = what or f"Task {task.name}{args!r}"
        logger.exception("%s not enqueued: the broker did not take it", what)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(partial(enqueue, task, *args))
