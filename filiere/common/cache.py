"""A value kept per process and rebuilt when the data it was built from changed.

The search and matching indexes take seconds to build and milliseconds to
query: each process keeps the last one with the version it was built for (a
token or a few aggregates read from the database, one query) and builds it
again the first time it finds another version.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class VersionedCache(Generic[T]):
    def __init__(self, version: Callable[[], Hashable], build: Callable[[], T]):
        self._version = version
        self._build = build
        self._lock = threading.Lock()
        self._entry: tuple[Hashable, T] | None = None

    def get(self) -> T:
        version = self._version()
        with self._lock:
            if self._entry is None or self._entry[0] != version:
                self._entry = (version, self._build())
            return self._entry[1]
