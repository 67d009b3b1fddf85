"""HTTP under the ASGI server without Django's per-request thread: the sync handler on a fixed pool of threads.

Django's ASGI handler runs every request in a thread sensitive context, which starts
a new thread per request, and crosses between the event loop and that thread at each
sync middleware and at the view. Our middleware and views are sync, so this handler
keeps what the ASGI server is good at on the event loop (HTTP parsing, keep-alive,
reading the body, sending the answer, websockets beside it on the same port) and runs
the whole sync middleware chain and view in one hop onto a thread that lives as long
as the process. Each thread keeps its PostgreSQL connection wrapper; the pool hands the
connection back at the end of every request, exactly as under WSGI.

A streaming response (static files, CSV) is read on its thread and handed to the loop
chunk by chunk, so the thread is what waits on a slow client, not the memory.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import HttpResponseBase
from django.urls import set_script_prefix

logger = logging.getLogger("hbs.serving")

Scope = MutableMapping[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Coroutine[Any, Any, None]]

# Threads per process: requests that wait on PostgreSQL or Redis overlap up to this many. Keep it at or
# under the database pool's size (DATABASE_POOL_MAX), so a thread never queues for a connection.
DEFAULT_THREADS = 8


def _headers(response: HttpResponseBase) -> list[tuple[bytes, bytes]]:
    headers = [
        (name.encode("ascii") if isinstance(name, str) else bytes(name), value.encode("latin1"))
        for name, value in response.items()
    ]
    headers.extend((b"Set-Cookie", cookie.OutputString().encode("ascii")) for cookie in response.cookies.values())
    return headers


class ThreadPoolHandler(ASGIHandler):
    """An ASGI callable for HTTP: Django's sync middleware chain and view, one hop onto a long-lived thread."""

    def __init__(self, threads: int | None = None) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.threads = threads or int(os.environ.get("HTTP_THREADS", DEFAULT_THREADS))
        self.executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] != "http":
            raise ValueError(f"ThreadPoolHandler serves HTTP only, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(self.executor, self._respond, scope, body_file, loop, send)
        finally:
            body_file.close()
        if response is not None:
            await self.send_response(response, send)

    def _respond(
        self, scope: Scope, body_file: Any, loop: asyncio.AbstractEventLoop, send: Send
    ) -> HttpResponseBase | None:
        """On a pool thread: the request, start to finish. Returns a buffered answer for the loop to send."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response: Any = self.get_response(request) if request is not None else error_response
        response._handler_class = self.__class__
        if not response.streaming:
            # The content is in memory: closing now (request_finished hands the database connection back to
            # the pool, on the thread that used it) changes nothing the client sees.
            response.close()
            return response
        try:
            self._stream(response, loop, send)
        finally:
            response.close()
        return None

    def _stream(self, response: Any, loop: asyncio.AbstractEventLoop, send: Send) -> None:
        def push(message: Message) -> None:
            asyncio.run_coroutine_threadsafe(send(message), loop).result()

        push({"type": "http.response.start", "status": response.status_code, "headers": _headers(response)})
        for part in response:
            for chunk, _ in self.chunk_bytes(part):
                push({"type": "http.response.body", "body": chunk, "more_body": True})
        push({"type": "http.response.body"})
