"""Who is acting, for logs and audit lines: set per request by middleware, `system` elsewhere."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    user_id: int | None = None
    ip: str = ""
    user_agent: str = ""


SYSTEM = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("hbs_request_context", default=SYSTEM)


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext):  # -> Token
    return _current.set(context)


def reset(token) -> None:  # type: ignore[no-untyped-def]
    _current.reset(token)
