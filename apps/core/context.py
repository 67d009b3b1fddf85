"""Who is acting, for logs and audit lines: set per request by middleware, `system` elsewhere."""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    user_id: int | None = None
    ip: str = ""
    user_agent: str = ""
    # The HttpRequest itself: DRF authenticates (JWT) inside the view and then
    # sets `.user` on this very object, so the user is read when needed, not
    # when the middleware runs.
    request: Any = field(default=None, compare=False, repr=False)

    @property
    def user(self) -> Any:
        """The authenticated user of the request, or None (anonymous, or no request: `system`)."""
        user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


SYSTEM = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("hbs_request_context", default=SYSTEM)


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext) -> Token[RequestContext]:
    return _current.set(context)


def reset(token) -> None:  # type: ignore[no-untyped-def]
    _current.reset(token)
