"""The contract figures kept in the shared cache, per version of the data they are computed from.

The selectors compute each figure once (``selectors.counted_*`` and the indicator sources) and
keep what they computed in Django's default cache (Redis in production, the database's cache
table in the embedded default: every worker and machine shares it), under a key that holds
the figures' version (``FiguresVersion``, one query to read). Every write of that data renews
the version in its own transaction, so that no page reads a figure older than the data:

- a save or a deletion of a watched model (the programme's own records, those the indicator
  sources declare with ``register_source(..., reads=...)``): the signals connected below, one
  place that no service, command, import or admin page can forget;
- writes that send no signal (``QuerySet.update``, ``bulk_create``, the register's upserts)
  call :func:`figures_changed` themselves.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from filiere.programme.models import FiguresVersion

T = TypeVar("T")

# Figures are dropped by the cache's own policy once unused; a day bounds what a version no
# longer read keeps in a cache without eviction (the database's table).
TIMEOUT = 24 * 3600


def figures_version() -> str:
    return FiguresVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""


def _renewed() -> None:
    """Marks, among the transaction's on-commit callbacks, that it renewed the version."""


def _renewed_here() -> bool:
    """Whether the transaction under way renewed the version (Django drops the mark with the
    transaction or the savepoint that rolls back)."""
    connection = transaction.get_connection()
    return any(func is _renewed for _sids, func, _robust in connection.run_on_commit)


def figures_changed(**_signal) -> None:
    """Renew the version: every figure kept so far is computed again when next asked for.
    Once per transaction: a write of thousands of rows (a queryset's deletion sends a signal
    per row) renews it once; what the transaction writes after that is in the same version,
    which nobody else sees before it commits."""
    if _renewed_here():
        return
    version = uuid.uuid4().hex
    if not FiguresVersion.objects.filter(pk=1).update(version=version):
        FiguresVersion.objects.update_or_create(pk=1, defaults={"version": version})
    transaction.on_commit(_renewed)


def watch(*models) -> None:
    """Renew the version on every save and deletion of these models."""
    for model in models:
        uid = f"programme.figures:{model._meta.label}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(figures_changed, sender=model, dispatch_uid=uid, weak=False)


def figures_key(name: str, params: tuple[Hashable, ...]) -> str:
    """The key of the figure ``name`` for ``params`` (ids, dates, the SQL of a user's visible
    rows) as the data stands now (one query): also the key of a page's fragment that shows
    only that figure (``{% cache %}``)."""
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"programme.figures:{figures_version()}:{name}:{digest}"


def kept(key: str, compute: Callable[[], T]) -> T:
    """The figure kept under ``key`` (:func:`figures_key`), else computed and kept. Computed
    and not kept within a transaction that renewed the version: it may write more before it
    commits, under the same version."""
    if _renewed_here():
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
