"""Public catalogue reads cached in Redis, all invalidated at once by a generation bump.

One generation for the whole catalogue keeps invalidation obviously right:
any change to a hotel, room type, room, rate, amenity or offer (from a
service, the admin or a command) bumps it after commit, and the next public
read misses and rebuilds. Catalogue writes are rare next to reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

GENERATION_KEY = "catalogue:generation"
TTL = 10 * 60


def _generation() -> str:
    return cache.get(GENERATION_KEY) or "0"


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The cached value for `key` in the current generation, else `build()` (then cached)."""
    full_key = f"catalogue:{_generation()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = build()
        cache.set(full_key, found, TTL)
    return found


def forget_catalogue() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], None)
