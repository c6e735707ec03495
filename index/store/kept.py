"""What has been read or computed once and is kept for the next question: a bounded, thread-safe map.

An index version never changes, so nothing read from it or computed from its passages needs doing again; the
least recently used entries go first past the limit (cachetools' `LRUCache`, under a lock: engine threads share
it). Work is done outside the lock, so two threads may compute one entry at once; both get the same value.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, Iterable, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most `limit` values by key."""

    def __init__(self, limit: int) -> None:
        self._items: LRUCache[K, V] = LRUCache(maxsize=limit)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def found(self, keys: Iterable[K]) -> tuple[dict[K, V], list[K]]:
        """(key → value for the keys held, the keys that are not)."""
        keys = list(keys)
        held: dict[K, V] = {}
        missing: list[K] = []
        with self._lock:
            for k in keys:
                try:
                    held[k] = self._items[k]  # one look-up (and one move to the newest end) per key held
                except KeyError:
                    missing.append(k)
        return held, missing

    def keep(self, items: dict[K, V]) -> None:
        with self._lock:
            self._items.update(items)

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for `key`, made (and kept) when there is none."""
        with self._lock:
            if key in self._items:
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
        return value

    def many(self, keys: list[K], make: Callable[[list[K]], dict[K, V]]) -> dict[K, V]:
        """The values of `keys`; those not kept are made together by `make(missing)` and kept."""
        held, missing = self.found(keys)
        if missing:
            made = make(missing)
            self.keep(made)
            held.update(made)
        return held
