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


def _send(task, args: tuple) -> None:
    try:
        task.delay(*args)
    except BrokerUnreachable:
        logger.exception("Task %s%r not enqueued: the broker did not take it", task.name, args)


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(partial(_send, task, args))
