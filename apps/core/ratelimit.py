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
    """Counts one attempt by `subject`; raises Throttled past the limit."""
    now = int(time.time())
    window = now // limit.seconds
    key = _key(limit, subject, window)
    try:
        count = 1 if cache.add(key, 1, limit.seconds + 1) else cache.incr(key)
    except ValueError:  # the key expired between add and incr
        count = 1
        cache.set(key, 1, limit.seconds + 1)
    except Exception:
        logger.warning("rate limiter unavailable; letting the request through", exc_info=True)
        return
    if count is not None and count > limit.count:
        raise Throttled(retry_after=max(1, (window + 1) * limit.seconds - now))
