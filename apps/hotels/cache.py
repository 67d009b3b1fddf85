"""Public catalogue reads cached in Redis, all invalidated at once by a generation bump.

One generation for the whole catalogue keeps invalidation obviously right:
any change to a hotel, room type, room, rate, amenity or offer (from a
service, the admin or a command) bumps it after commit, and the next public
read misses and rebuilds. Catalogue writes are rare next to reads.

Availability's own entries (the hotel, its room types and automatic offers)
are also kept unpickled in this process, beside the generation they belong
to: a search then costs one small Redis read (the generation) instead of
unpickling model instances. Every process still checks the shared generation
on every read, so none serves a catalogue older than the others.

Entries are kept per language (the active one is part of every key): what a
build returns may hold text already read in that language (serialized API
answers, translated names), so a hotel cached for one language is never
served to another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils import translation

from apps.core import context
from apps.core.lru import LocalLru

GENERATION_KEY = "catalogue:generation"
TTL = 10 * 60
LOCAL_ENTRIES = 512  # per process; the least recently used go first


_local: LocalLru[Any] = LocalLru(LOCAL_ENTRIES)  # (generation, value) by name


def _current_generation(found: str | None) -> str:
    """The generation read, or a new one if Redis lost it (evicted, restarted).

    Never a fixed default: a process still holding entries of an old "0" must
    not take them for current after Redis comes back empty. With Redis down
    every read gets a generation of its own, so everything is read afresh.
    """
    if found:
        return found
    fresh = uuid.uuid4().hex[:12]
    cache.add(GENERATION_KEY, fresh, None)
    return cache.get(GENERATION_KEY) or fresh


def _request_generation() -> str:
    """The generation, read once per request: a request sees one catalogue throughout."""
    request = context.current().request
    generation = getattr(request, "catalogue_generation", None)
    if generation is None:
        generation = _current_generation(cache.get(GENERATION_KEY))
        if request is not None:
            request.catalogue_generation = generation
    return generation


def cached(key: str, build: Callable[[], Any], *, keep_local: bool = False) -> Any:
    """The cached value for `key` in the current generation, else `build()` (then cached)."""
    return cached_many({key: build}, keep_local=keep_local)[key]


def cached_many(builders: dict[str, Callable[[], Any]], *, keep_local: bool = False) -> dict[str, Any]:
    """Several cached values in one Redis round trip, each rebuilt (and cached) if missing or stale.

    An entry carries the generation it was built in and counts only while that
    generation is current. A build reads the database after the generation was
    read, so it is never older than the change that set that generation.

    With `keep_local` the values are also kept in this process and shared by
    later requests: callers must treat them as read-only.
    """
    language = translation.get_language() or "en"
    named = {f"{language}:{name}": name for name in builders}
    return {
        named[key]: value
        for key, value in _cached_many(
            {key: builders[name] for key, name in named.items()}, keep_local=keep_local
        ).items()
    }


def _cached_many(builders: dict[str, Callable[[], Any]], *, keep_local: bool) -> dict[str, Any]:
    if keep_local:
        generation = _request_generation()
        values: dict[str, Any] = {}
        for name in builders:
            hit, value = _local.get(name, fresh=generation.__eq__)
            if hit:
                values[name] = value
        missing = {name: build for name, build in builders.items() if name not in values}
        if missing:
            fetched = _from_redis(missing, generation)
            for name, value in fetched.items():
                _local.put(name, generation, value)
            values.update(fetched)
        return values
    found = cache.get_many([GENERATION_KEY, *(f"catalogue:{name}" for name in builders)])
    return _from_redis(builders, _current_generation(found.get(GENERATION_KEY)), found)


def _from_redis(
    builders: dict[str, Callable[[], Any]], generation: str, found: dict[str, Any] | None = None
) -> dict[str, Any]:
    keys = {name: f"catalogue:{name}" for name in builders}
    if found is None:
        found = cache.get_many(list(keys.values()))
    values: dict[str, Any] = {}
    stale: dict[str, tuple[str, Any]] = {}
    for name, build in builders.items():
        entry = found.get(keys[name])
        if entry is not None and entry[0] == generation:
            values[name] = entry[1]
        else:
            values[name] = build()
            stale[keys[name]] = (generation, values[name])
    if stale:
        cache.set_many(stale, TTL)
    return values


def forget_catalogue() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], None)
    request = context.current().request
    if request is not None:  # the request that changed the catalogue reads the new one from here on
        request.catalogue_generation = None
