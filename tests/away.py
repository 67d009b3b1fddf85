"""A service that is away: an address on 127.0.0.1 that refuses every connection, for as long as the tests run.

A port found free and then let go can be taken a moment later by another test's server (a live server, a
uvicorn), and "Redis away" would then answer. This one stays bound, never listening, so nothing else gets
it and every connection to it is refused at once.
"""

from __future__ import annotations

import socket

_held = socket.socket()
_held.bind(("127.0.0.1", 0))
CLOSED_PORT: int = _held.getsockname()[1]


def closed_port() -> int:
    return CLOSED_PORT
