"""The hotel page's reviews section, rendered once per version of the hotel's reviews and kept in this process.

The version is read from the hotel the page already holds (from the catalogue
cache, so no extra round trip): its `updated_at` and `review_count`. Every
review service that changes what the public list shows saves the hotel in the
review's own transaction (the figures' recount, or a touch for a response),
which also forgets the cached catalogue after commit; the next request then
holds the new hotel and asks for a new version. What no review service
changes (an author renaming themselves) shows within FRAGMENT_TTL.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.utils import translation

from apps.hotels.models import Hotel

FRAGMENT_TTL = 10 * 60  # seconds
FRAGMENT_ENTRIES = 512


class _Fragments:
    """A small thread-safe LRU of rendered HTML by key, each entry kept at most FRAGMENT_TTL seconds."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[object, ...], tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[object, ...], now: float) -> str | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] <= now:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[object, ...], html: str, now: float) -> None:
        with self.lock:
            self.entries[key] = (now + FRAGMENT_TTL, html)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_fragments = _Fragments(FRAGMENT_ENTRIES)


def reviews_version(hotel: Hotel) -> tuple[object, ...]:
    """What the hotel page's reviews section depends on, as the hotel in hand says (and the page's language)."""
    return (hotel.pk, hotel.updated_at, hotel.review_count, translation.get_language())


def hotel_reviews_section(hotel: Hotel, render: Callable[[], str]) -> str:
    """The rendered section for this version of the hotel's reviews: from this process, else `render()`."""
    key = reviews_version(hotel)
    now = time.monotonic()
    html = _fragments.get(key, now)
    if html is None:
        html = render()
        _fragments.put(key, html, now)
    return html


def forget_fragments() -> None:
    """Drops every section kept in this process (tests)."""
    _fragments.clear()
