"""Indexes built by a worker and read by every process, never built in a request.

A build (a Celery task calling :meth:`PersistedIndex.rebuild`) writes the index's files in a
folder, stores them in the default storage (``indexes/<build>/``: the media folder every
process of a machine or of the compose stack mounts, or the S3 bucket every machine reads)
and records the build as an ``IndexBuild`` row. Each process loads the latest build when the
row changes, from a copy on its machine (``FILIERE_INDEX_DIR``, fetched from the storage once
per machine, under a temporary name then renamed): memory-mapped arrays or a pickle, a load,
not a build. Until a first build exists, ``get()`` enqueues one and answers ``None``, and the
caller answers without the index. An index that declares the ``version`` of its data is
compared with it at each ``get()``: a stale one enqueues a build and is used meanwhile.
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
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from filiere.common.models import IndexBuild
from filiere.common.queue import enqueue

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
                    value = self._load(self._fetched(latest))
                except FileNotFoundError:
                    # Not in the storage: pruned since, or a storage the worker does not share.
                    logger.error("Index %s not found in the storage", latest.artifact)
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
        # A broker that does not take it is logged: the searches go on with the build they
        # have; the request is made again by the next search past REQUEST_WINDOW, or by
        # beat's nightly build of the directory.
        enqueue(
            import_string(self._task),
            requested_at=timezone.now().isoformat(),
            what=f"Build of index {self.name}",
        )

    def _folder(self) -> Path:
        return Path(settings.FILIERE_INDEX_DIR)

    def _fetched(self, build: IndexBuild) -> Path:
        """The build's folder on this machine, copied from the storage the first time."""
        folder = self._folder() / build.artifact
        if folder.exists():
            return folder
        temporary = self._folder() / f".{build.artifact}-{uuid.uuid4().hex[:8]}"
        temporary.mkdir(parents=True)
        try:
            for name in build.files:
                with (
                    default_storage.open(_stored(build.artifact, name)) as source,
                    open(temporary / name, "wb") as copy,
                ):
                    shutil.copyfileobj(source, copy)
            temporary.rename(folder)
        except OSError:
            if not folder.exists():
                raise
            # Another process of this machine fetched it meanwhile.
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        self._prune_here()
        return folder

    def rebuild(self, *, requested_at: str | None = None) -> None:
        """Build, store and record the index, unless a build started since ``requested_at``
        (an ISO date) already read the data then."""
        latest = self._latest()
        if requested_at and latest and latest.started_at >= datetime.fromisoformat(requested_at):
            return
        started_at = timezone.now()
        # The version is read before the data: at worst the build is newer than it says.
        version = _digest(self._version()) if self._version is not None else ""
        index = self._build()
        artifact = f"{self.name}-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        temporary = self._folder() / f".{artifact}"
        temporary.mkdir(parents=True)
        try:
            self._save(index, temporary)
            files = sorted(path.name for path in temporary.iterdir())
            for name in files:
                with open(temporary / name, "rb") as content:
                    default_storage.save(_stored(artifact, name), File(content))
            # This machine's copy, as another machine's process would fetch it.
            temporary.rename(self._folder() / artifact)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        IndexBuild.objects.create(
            name=self.name, artifact=artifact, files=files, version=version, started_at=started_at
        )
        self._prune()

    def _prune(self) -> None:
        builds = IndexBuild.objects.filter(name=self.name).order_by("-started_at", "-pk")
        for old in builds[KEPT_BUILDS:]:
            for name in old.files:
                default_storage.delete(_stored(old.artifact, name))
            default_storage.delete(_stored(old.artifact))  # the folder, on disk
            old.delete()
        self._prune_here()

    def _prune_here(self) -> None:
        """Removes this machine's copies of the builds no longer kept."""
        kept = set(IndexBuild.objects.filter(name=self.name).values_list("artifact", flat=True))
        for folder in self._folder().glob(f"{self.name}-*"):
            if folder.name not in kept:
                shutil.rmtree(folder, ignore_errors=True)


def _stored(artifact: str, *name: str) -> str:
    """The name in the storage of a build's file, or of its folder."""
    return "/".join(("indexes", artifact, *name))


PICKLE = "index.pickle"


def save_pickle(index, folder: Path) -> None:
    """For the indexes of Python objects (the matching engine's): a pickle the platform's
    workers write in its own storage, read by its own processes."""
    with open(folder / PICKLE, "wb") as file:
        pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)


def load_pickle(folder: Path):
    with open(folder / PICKLE, "rb") as file:
        return pickle.load(file)
