"""The auth cache epoch: what keeps a revocation made while Redis was away from being forgotten when it returns.

Cached users (tokens.py) and cached permissions (permissions.py) are keyed by
the epoch, a PostgreSQL sequence. An invalidation that cannot reach Redis
raises the sequence instead. Redis holds a short-lived copy of the epoch
(`AUTH_CACHE_EPOCH_TTL` seconds) read in the same round trip as the entries,
so a warm check still makes no query; when the copy is missing, or this
process has just raised the epoch, the epoch is read from PostgreSQL and the
copy rewritten. Entries written under an older epoch are then never read
again: a deactivation or a revoked grant made during the outage is honoured
when Redis comes back (at once by the process that made it, within the copy's
lifetime by the others).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger("hbs.permissions")

EPOCH_KEY = "auth:epoch"
SEQUENCE = "accounts_auth_cache_epoch"
_raised_here = threading.Event()


def epoch_from_postgresql() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")  # noqa: S608 (a constant name)
        return int(cursor.fetchone()[0])


def raise_epoch() -> None:
    """Voids every cached user and permission set; called when an invalidation could not reach Redis."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
    _raised_here.set()
    logger.warning("auth cache: an invalidation could not reach Redis; epoch raised in PostgreSQL")


def current_epoch(cached: object) -> str:
    """The epoch, given the Redis copy read beside the entries (None when missing or Redis is down)."""
    if cached is not None and not _raised_here.is_set():
        return str(cached)
    _raised_here.clear()
    epoch = str(epoch_from_postgresql())
    cache.set(EPOCH_KEY, epoch, settings.AUTH_CACHE_EPOCH_TTL)
    return epoch


def reached_redis(result: object) -> bool:
    """django-redis answers None for an operation it could not do (IGNORE_EXCEPTIONS)."""
    return result is not None
