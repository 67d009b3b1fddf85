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

import time
from collections.abc import Callable

from django.utils import translation

from apps.core.lru import LocalLru
from apps.hotels.models import Hotel

FRAGMENT_TTL = 10 * 60  # seconds
FRAGMENT_ENTRIES = 512


_fragments: LocalLru[str] = LocalLru(FRAGMENT_ENTRIES)  # rendered HTML, stamped with its expiry


def reviews_version(hotel: Hotel) -> tuple[object, ...]:
    """What the hotel page's reviews section depends on, as the hotel in hand says (and the page's language)."""
    return (hotel.pk, hotel.updated_at, hotel.review_count, translation.get_language())


def hotel_reviews_section(hotel: Hotel, render: Callable[[], str]) -> str:
    """The rendered section for this version of the hotel's reviews: from this process, else `render()`."""
    key = reviews_version(hotel)
    now = time.monotonic()
    hit, html = _fragments.get(key, fresh=lambda expires: isinstance(expires, float) and expires > now)
    if not hit or html is None:  # html is None only on a miss
        html = render()
        _fragments.put(key, now + FRAGMENT_TTL, html)
    return html


def forget_fragments() -> None:
    """Drops every section kept in this process (tests)."""
    _fragments.clear()
