"""Shared back-off for the scheduled relay: while MongoDB is down, runs are skipped for a growing pause.

Kept in the cache so every worker host sees it; if the cache itself is down
the relay simply tries every time (each try fails fast on MongoDB's short timeouts).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

_KEY = "audit:relay:backoff"


def should_wait() -> bool:
    state = cache.get(_KEY)
    return bool(state) and time.time() < state["until"]


def failed() -> float:
    """Notes a failed run; returns the pause in seconds before the next scheduled one (doubling, capped)."""
    state = cache.get(_KEY) or {"failures": 0}
    failures = state["failures"] + 1
    doubled = settings.AUDIT_RELAY_INTERVAL_SECONDS * 2 ** (failures - 1)
    pause = float(min(doubled, settings.AUDIT_RELAY_MAX_BACKOFF_SECONDS))
    cache.set(_KEY, {"failures": failures, "until": time.time() + pause}, timeout=int(pause) + 60)
    return pause


def succeeded() -> None:
    cache.delete(_KEY)
