"""A small thread-safe LRU kept in one process, for values shared read-only between requests.

Each entry carries a stamp (the catalogue generation it was built in, the instant it expires): the reader
says which stamps still count, so one LRU serves every kind of freshness.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LocalLru[V]:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, tuple[object, V]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, *, fresh: Callable[[object], bool]) -> tuple[bool, V | None]:
        """(True, value) when an entry for `key` has a stamp `fresh` accepts, else (False, None)."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or not fresh(entry[0]):
                return False, None
            self.entries.move_to_end(key)
            return True, entry[1]

    def put(self, key: Hashable, stamp: object, value: V) -> None:
        """Keeps `value` under `key`; the least recently used entries go past `size`."""
        with self.lock:
            self.entries[key] = (stamp, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
