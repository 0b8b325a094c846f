"""The platform's task queue (Celery): the web process enqueues, workers run.

Workers (``python -m filiere worker``, as many as wanted, on any machine that reaches the
database and the broker) run what is slow: the meeting scheduler, e-mails, imports, index
rebuilds. Beat (``python -m filiere beat``, one per installation) enqueues the daily duties
of ``CELERY_BEAT_SCHEDULE``. Tasks are written in each app's ``tasks.py``, take ids, and are
enqueued once the transaction that decided them commits (``common.queue.enqueue_on_commit``).
"""

from celery import Celery

app = Celery("filiere")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
