"""Who is on a websocket: an access JWT in `?token=` (apps), else the session cookie from an allowed origin (pages).

Native apps send no Origin header, and a token is a credential no other site
can make a browser send, so a `?token=` connection is accepted whatever its
origin; its cookies are then never read. A cookie is sent by the browser to
any site's page that opens a socket here (cross-site websocket hijacking), so
the session is read only when the Origin is one of ALLOWED_HOSTS. Anything
else arrives at the consumer as an anonymous user, which closes it (4401).

The token arrives already lifted out of the query string by
apps.core.sockets.QueryTokenOutOfLogs (the outermost layer in hbs/asgi.py), so
neither our logs nor the server's line for the connection ever show it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from apps.accounts.tokens import check_token_user
from apps.core.sockets import SCOPE_KEY


def _user_for_token(raw: str) -> Any:
    try:
        return check_token_user(AccessToken(raw))  # type: ignore[arg-type]
    except (TokenError, AuthenticationFailed):
        return AnonymousUser()


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = ["localhost", "127.0.0.1", "[::1]"]
    return hosts


def origin_allowed(scope: dict[str, Any]) -> bool:
    origin = next((value for name, value in scope.get("headers", []) if name == b"origin"), None)
    if origin is None:
        return False
    try:
        parsed = urlparse(origin.decode("latin1"))
    except (UnicodeDecodeError, ValueError):
        return False
    return bool(OriginValidator(None, _allowed_hosts()).valid_origin(parsed))


class SocketAuthMiddleware:
    """Sets scope["user"] (and scope["auth"]: "token", "session" or "none") for the consumer it wraps."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        token = scope.get(SCOPE_KEY)
        if token is not None:
            user = await database_sync_to_async(_user_for_token)(token)
            return await self.inner({**scope, "user": user, "auth": "token"}, receive, send)
        if not origin_allowed(scope):
            return await self.inner({**scope, "user": AnonymousUser(), "auth": "none"}, receive, send)
        return await self.with_session({**scope, "auth": "session"}, receive, send)
