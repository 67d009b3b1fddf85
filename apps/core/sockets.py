"""Websocket scope hygiene: a `?token=` credential is lifted out of the query string before anyone logs it.

The ASGI server logs each websocket with its path and query string (uvicorn:
`"WebSocket /ws/...?..." [accepted]`) from the scope it handed the
application. Routers copy the scope, so this runs first, on the server's own
scope: the token moves to scope["query_token"] and the query string keeps
everything else. The auth middleware of the route reads it from there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

TOKEN_PARAMETER = "token"  # noqa: S105 (a parameter name, not a secret)
SCOPE_KEY = "query_token"


class QueryTokenOutOfLogs:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        raw = scope.get("query_string", b"")
        if scope.get("type") == "websocket" and TOKEN_PARAMETER.encode() in raw:
            pairs = parse_qsl(raw.decode("latin1"), keep_blank_values=True)
            tokens = [value for name, value in pairs if name == TOKEN_PARAMETER]
            if tokens:
                # In place on purpose: the server logs this very dict.
                scope["query_string"] = urlencode([(n, v) for n, v in pairs if n != TOKEN_PARAMETER]).encode()
                scope[SCOPE_KEY] = tokens[0]
        return await self.app(scope, receive, send)
