"""The project's ASGI application served by a real uvicorn in a thread, on a free port, for the length of a block.

Used by the websocket test through a real server and by the browser test of
the bell (Django's live_server speaks WSGI only, so it has no websockets).
Run it from a `transaction=True` test: the server's threads read what the test commits.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def running_asgi_server() -> Iterator[str]:
    import uvicorn

    from hbs.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # log_config=None: uvicorn's records go to the root logger (the test can read them); info level on
    # purpose, so the connection lines a token could leak into are written.
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="info",
        lifespan="off",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
