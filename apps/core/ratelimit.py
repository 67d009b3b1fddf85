"""Fixed-window rate limits in Redis, shared by pages and API (login, token, sign-up).

Redis down → the limiter lets requests through (logged): failing closed would
lock every guest out of a working site because a cache is away.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
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


def hit(limit: Limit, subject: str) -> None:
    """Counts one attempt by `subject`; raises Throttled past the limit.

    One Redis round trip: the window's counter is created with its expiry if
    missing, then incremented, in one pipeline.
    """
    now = int(time.time())
    window = now // limit.seconds
    key = cache.make_and_validate_key(_key(limit, subject, window))
    try:
        pipeline = get_redis_connection("default").pipeline(transaction=False)
        pipeline.set(key, 0, ex=limit.seconds + 1, nx=True)
        pipeline.incr(key)
        _, count = pipeline.execute()
    except Exception:
        logger.warning("rate limiter unavailable; letting the request through", exc_info=True)
        return
    if count > limit.count:
        raise Throttled(retry_after=max(1, (window + 1) * limit.seconds - now))
