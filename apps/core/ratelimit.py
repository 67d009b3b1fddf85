"""Fixed-window rate limits, shared by pages and API (login, token, sign-up, reset, the API's rates).

The counters live in Redis. When Redis does not answer, a limit must still
hold (an attacker who can slow Redis down must not get unlimited password
guesses): the same windows are counted in PostgreSQL (`RateLimitCounter`, on a
connection of its own so a rolled-back request still counts), and if that
fails too, in this process's memory. Never no limit.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django_redis import get_redis_connection

from apps.core.errors import Throttled

logger = logging.getLogger("hbs.ratelimit")


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    @classmethod
    def from_setting(cls, name: str) -> Limit:
        """A limit from settings.RATE_LIMITS, e.g. {"login-email": "5/60"}."""
        count, seconds = settings.RATE_LIMITS[name].split("/")
        return cls(name=name, count=int(count), seconds=int(seconds))


def _key(limit: Limit, subject: str, window: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:24]  # no raw emails or IPs in Redis keys
    return f"rl:{limit.name}:{digest}:{window}"


def _count_in_redis(key: str, seconds: int) -> int:
    """One Redis round trip: the window's counter is created with its expiry if missing, then incremented."""
    pipeline = get_redis_connection("default").pipeline(transaction=False)
    pipeline.set(cache.make_and_validate_key(key), 0, ex=seconds + 1, nx=True)
    pipeline.incr(cache.make_and_validate_key(key))
    _, count = pipeline.execute()
    return int(count)


def _count_in_postgresql(key: str, expires_at: float) -> int:
    with connections[settings.RATE_LIMIT_DATABASE].cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_ratelimitcounter (key, count, expires_at) VALUES (%s, 1, %s) "
            "ON CONFLICT (key) DO UPDATE SET count = core_ratelimitcounter.count + 1 RETURNING count",
            [key, datetime.fromtimestamp(expires_at, tz=UTC)],
        )
        return int(cursor.fetchone()[0])


_local_lock = threading.Lock()
_local_counts: dict[str, tuple[int, float]] = {}


def _count_in_process(key: str, expires_at: float) -> int:
    with _local_lock:
        now = time.time()
        for stale in [k for k, (_, until) in _local_counts.items() if until <= now]:
            del _local_counts[stale]
        count = _local_counts.get(key, (0, expires_at))[0] + 1
        _local_counts[key] = (count, expires_at)
        return count


def count_attempt(key: str, *, seconds: int, expires_at: float) -> int:
    """This window's count after one more attempt: Redis, else PostgreSQL, else this process."""
    try:
        return _count_in_redis(key, seconds)
    except Exception:
        logger.warning("rate limiter: Redis unavailable; counting in PostgreSQL", exc_info=True)
    try:
        return _count_in_postgresql(key, expires_at)
    except Exception:
        logger.error("rate limiter: PostgreSQL unavailable too; counting in this process", exc_info=True)
    return _count_in_process(key, expires_at)


def hit(limit: Limit, subject: str) -> None:
    """Counts one attempt by `subject`; raises Throttled (429) past the limit."""
    now = int(time.time())
    window = now // limit.seconds
    window_end = (window + 1) * limit.seconds
    count = count_attempt(_key(limit, subject, window), seconds=limit.seconds, expires_at=window_end)
    if count > limit.count:
        raise Throttled(retry_after=max(1, window_end - now))


def prune_counters() -> int:
    """Deletes the PostgreSQL counters whose window has ended."""
    with connections[settings.RATE_LIMIT_DATABASE].cursor() as cursor:
        cursor.execute("DELETE FROM core_ratelimitcounter WHERE expires_at < %s", [datetime.now(tz=UTC)])
        return cursor.rowcount
