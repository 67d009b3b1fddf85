"""The MongoDB client factory: pymongo in production, mongomock in tests, same interface.

`MONGODB_URL` chooses: empty → MongoDB is not configured (callers degrade);
`mongomock://…` → an in-memory mongomock client (tests); anything else → pymongo
with short timeouts, so an outage fails fast instead of hanging a worker.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

COLLECTIONS = ("audit_logs", "booking_logs", "content_docs", "backup_data_collections")

_lock = threading.Lock()
_client: Any = None


class MongoNotConfigured(RuntimeError):
    pass


def _make_client(url: str) -> Any:
    if url.startswith("mongomock://"):
        import mongomock

        return mongomock.MongoClient()
    from pymongo import MongoClient

    timeout = settings.MONGODB_TIMEOUT_MS
    return MongoClient(
        url,
        serverSelectionTimeoutMS=timeout,
        connectTimeoutMS=timeout,
        socketTimeoutMS=timeout * 5,
        tz_aware=True,
        appname="hbs",
    )


def is_configured() -> bool:
    return bool(settings.MONGODB_URL) or _client is not None


def get_client() -> Any:
    """The process's client (pymongo pools connections itself)."""
    global _client
    if _client is None:
        if not settings.MONGODB_URL:
            raise MongoNotConfigured("MONGODB_URL is not set.")
        with _lock:
            if _client is None:
                _client = _make_client(settings.MONGODB_URL)
    return _client


def get_database() -> Any:
    return get_client()[settings.MONGODB_DB]


def set_client(client: Any) -> None:
    """Replace the client (tests inject mongomock or a failing client); None resets."""
    global _client
    with _lock:
        _client = client


def ping() -> None:
    get_client().admin.command("ping")
