"""Readiness checks. Each returns a state and, where useful, details; `/readyz` runs them all.

Other apps add their own (the audit outbox backlog, say) through
settings.HEALTH_CHECKS, so this module never imports them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from apps.core import mongo

Check = Callable[[], dict[str, Any]]
UP, DOWN, NOT_CONFIGURED = "up", "down", "not_configured"


def _timed(probe: Callable[[], object]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # any failure means "down"; the message says why
        return {"state": DOWN, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"state": UP, "ms": round((time.perf_counter() - started) * 1000, 2)}


def check_postgresql() -> dict[str, Any]:
    def probe() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    return _timed(probe)


def check_redis() -> dict[str, Any]:
    from django_redis import get_redis_connection

    return _timed(lambda: get_redis_connection("default").ping())


def check_mongodb() -> dict[str, Any]:
    if not mongo.is_configured():
        return {"state": NOT_CONFIGURED}
    return _timed(mongo.ping)


CORE_CHECKS: dict[str, Check] = {
    "postgresql": check_postgresql,
    "redis": check_redis,
    "mongodb": check_mongodb,
}


def all_checks() -> dict[str, Check]:
    extra = {name: import_string(path) for name, path in getattr(settings, "HEALTH_CHECKS", {}).items()}
    return {**CORE_CHECKS, **extra}


def readiness() -> tuple[bool, dict[str, dict[str, Any]]]:
    """(ready, checks). Only PostgreSQL, the source of truth, decides readiness."""
    results = {name: check() for name, check in all_checks().items()}
    return results["postgresql"]["state"] == UP, results
