"""Indexes built by a worker and read by every process, never built in a request.

A build (a Celery task calling :meth:`PersistedIndex.rebuild`) writes the index in a new
folder of ``FILIERE_INDEX_DIR`` under a temporary name, renames it (a reader never sees half
an index) and records it as an ``IndexBuild`` row. Each process loads the latest build when
the row changes (memory-mapped arrays or a pickle: a load, not a build) and keeps it; until a
first build exists, ``get()`` enqueues one and answers ``None``, and the caller answers
without the index. An index that declares the ``version`` of its data is compared with it at
each ``get()``: a stale one enqueues a build and is used meanwhile.
"""

import hashlib
import logging
import pickle
import shutil
import threading
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerUnreachable

from filiere.common.models import IndexBuild

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The builds kept on disk: the latest, and the one before for the processes still reading it.
KEPT_BUILDS = 2
# A build asked for by requests is asked once in this many seconds (per version of the data).
REQUEST_WINDOW = 600


@dataclass(frozen=True)
class Built(Generic[T]):
    value: T
    # When the build started reading the data: what changed since is not in it.
    started_at: datetime


def _digest(version: Hashable) -> str:
    return hashlib.sha256(repr(version).encode()).hexdigest()


class PersistedIndex(Generic[T]):
    """``build()`` reads the data and returns the index, ``save(index, folder)`` writes it in
    an empty folder, ``load(folder)`` reads it back; ``task`` is the dotted path of the Celery
    task that calls :meth:`rebuild`."""

    def __init__(
        self,
        name: str,
        *,
        task: str,
        build: Callable[[], T],
        save: Callable[[T, Path], None],
        load: Callable[[Path], T],
        version: Callable[[], Hashable] | None = None,
    ):
        self.name = name
        self._task = task
        self._build = build
        self._save = save
        self._load = load
        self._version = version
        self._lock = threading.Lock()
        self._loaded: tuple[str, Built[T]] | None = None

    def _latest(self) -> IndexBuild | None:
        return IndexBuild.objects.filter(name=self.name).order_by("-started_at", "-pk").first()

    def latest_started_at(self) -> datetime | None:
        """When the latest build started reading the data (``None`` before the first)."""
        latest = self._latest()
        return latest.started_at if latest else None

    def get(self) -> Built[T] | None:
        """The latest build, loaded once per process; ``None`` before the first one. Never
        builds: a missing or stale build is asked of a worker."""
        latest = self._latest()
        version = _digest(self._version()) if self._version is not None else ""
        stale = latest is None or (self._version is not None and latest.version != version)
        if stale and self.request(version):
            # Where tasks run at once (the tests), the build is done already.
            latest = self._latest()
        if latest is None:
            return None
        with self._lock:
            if self._loaded is None or self._loaded[0] != latest.artifact:
                try:
                    value = self._load(self._folder() / latest.artifact)
                except FileNotFoundError:
                    # The folder is not shared with the workers that wrote it, or was pruned.
                    logger.error("Index %s not found in %s", latest.artifact, self._folder())
                    return self._loaded[1] if self._loaded else None
                self._loaded = (latest.artifact, Built(value, latest.started_at))
            return self._loaded[1]

    def request(self, version: str = "") -> bool:
        """Enqueue a build, once per version of the data in ``REQUEST_WINDOW`` however many
        requests ask (the cache is shared by the processes); says whether it did."""
        if not cache.add(f"index-build:{self.name}:{version}", True, REQUEST_WINDOW):
            return False
        self._enqueue()
        return True

    def rebuild_on_commit(self) -> None:
        """Enqueue a build once the transaction that changed the data commits. The request
        time is taken then, not now: a build started before the commit does not see the
        change and must not be taken for one that does."""
        transaction.on_commit(self._enqueue)

    def _enqueue(self) -> None:
        task = import_string(self._task)
        try:
            task.delay(requested_at=timezone.now().isoformat())
        except BrokerUnreachable:
            # The searches go on with the build they have; the request is made again by the
            # next search past REQUEST_WINDOW, or by beat's nightly build of the directory.
            logger.exception(
                "Build of index %s not enqueued: the broker did not take it", self.name
            )

    def _folder(self) -> Path:
        return Path(settings.FILIERE_INDEX_DIR)

    def rebuild(self, *, requested_at: str | None = None) -> None:
        """Build, write and record the index, unless a build started since ``requested_at``
        (an ISO date) already read the data then."""
        latest = self._latest()
        if requested_at and latest and latest.started_at >= datetime.fromisoformat(requested_at):
            return
        started_at = timezone.now()
        # The version is read before the data: at worst the build is newer than it says.
        version = _digest(self._version()) if self._version is not None else ""
        index = self._build()
        folder = self._folder()
        folder.mkdir(parents=True, exist_ok=True)
        artifact = f"{self.name}-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        temporary = folder / f".{artifact}"
        temporary.mkdir()
        try:
            self._save(index, temporary)
            temporary.rename(folder / artifact)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        IndexBuild.objects.create(
            name=self.name, artifact=artifact, version=version, started_at=started_at
        )
        self._prune()

    def _prune(self) -> None:
        builds = IndexBuild.objects.filter(name=self.name).order_by("-started_at", "-pk")
        for old in builds[KEPT_BUILDS:]:
            shutil.rmtree(self._folder() / old.artifact, ignore_errors=True)
            old.delete()


PICKLE = "index.pickle"


def save_pickle(index, folder: Path) -> None:
    """For the indexes of Python objects (the matching engine's): a pickle the workers write
    in the platform's own folder, read by its own processes."""
    with open(folder / PICKLE, "wb") as file:
        pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)


def load_pickle(folder: Path):
    with open(folder / PICKLE, "rb") as file:
        return pickle.load(file)
