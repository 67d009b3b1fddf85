"""One Redis client per URL for the whole process, shared by every request's cache object.

Under ASGI Django runs each request's sync code in a thread of its own and
builds a new cache object per thread, so django-redis built a new Redis client
(its parser and command tables) for every request: about half a millisecond
before the first command. A Redis client is thread-safe (each command borrows
a connection from the shared pool), so one per URL serves them all.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from django_redis.pool import ConnectionFactory


class SharedClientConnectionFactory(ConnectionFactory):
    _clients: ClassVar[dict[str, Any]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def connect(self, url: str) -> Any:
        client = self._clients.get(url)
        if client is None:
            with self._lock:
                client = self._clients.get(url)
                if client is None:
                    client = self._clients[url] = super().connect(url)
        return client
