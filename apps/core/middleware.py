"""Request id on every response, one JSON log line per request, the 404 page for a selector's NotFound, and
the language of each request.

Each is sync and async capable, so no server adds a hop between the event loop and a thread for them,
and costs what it does: no database or Redis access of its own (the log line reads the user only as the
request's own authentication left it; the language reads the session only of a request that has one).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from apps.core import context
from apps.core.errors import NotFound
from apps.core.views import API_PREFIX, page_not_found

logger = logging.getLogger("hbs.request")
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_META = "HTTP_X_REQUEST_ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

GetResponse = Callable[[HttpRequest], Any]


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_trusted(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES; then X-Forwarded-For is
    read from the right, past every trusted hop, to the first address no proxy of ours wrote (a client may put
    anything at the left end, so the rightmost untrusted hop is the one to believe)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop if _is_address(hop) else remote
    return hops[0] if hops else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class _Middleware:
    """Runs in the mode of the handler it wraps: plain calls under WSGI, awaited ones under ASGI."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.async_mode:
            return self.__acall__(request)
        return self.respond(request)

    def respond(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        return await self.get_response(request)


class RequestIdMiddleware(_Middleware):
    """Takes the caller's X-Request-ID when it is sane, else makes one; echoes it back."""

    def respond(self, request: HttpRequest) -> HttpResponse:
        token = self.enter(request)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        token = self.enter(request)
        try:
            response = await self.get_response(request)
        finally:
            context.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        return response

    @staticmethod
    def enter(request: HttpRequest) -> Any:
        meta = request.META
        given = meta.get(_REQUEST_ID_META, "")
        # 128 random bits as 32 hex digits, as uuid4().hex gave, without a system call: an id, not a secret.
        request_id = given if given and _VALID_REQUEST_ID.match(given) else f"{random.getrandbits(128):032x}"
        request.request_id = request_id  # type: ignore[attr-defined]
        return context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip=meta.get("REMOTE_ADDR", "") or "",
                user_agent=meta.get("HTTP_USER_AGENT", "")[:256],
                request=request,
            )
        )


class RequestLogMiddleware(_Middleware):
    """Logs id, user, method, path, status and duration of each request as one JSON line."""

    def respond(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            self.log(request, response, started)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = await self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            self.log(request, response, started)
        return response

    @staticmethod
    def log(request: HttpRequest, response: HttpResponse, started: float) -> None:
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": getattr(request, "request_id", ""),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )


class PageNotFoundMiddleware(_Middleware):
    """On pages, a selector's NotFound is the friendly 404 page, exactly as Http404 would give.

    Services and selectors speak ApplicationError; the API's exception handler
    renders it, and this does the same for the one error pages reach for most.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound) and not request.path.startswith(API_PREFIX):
            return page_not_found(request, exception)
        return None


# The session key holding a signed-in person's profile language (set at log-in and by the switcher).
LANGUAGE_SESSION_KEY = "hbs_language"


class LanguageMiddleware(_Middleware):
    """The language of the request: a signed-in person's profile (kept in their session), else the switcher's
    cookie, else Accept-Language; the response says which (Content-Language) and varies on both.

    In place of Django's LocaleMiddleware (no language prefix in our URLs): sync and async capable, and it
    reads the session only when the request carries one (the auth middleware has loaded it by then).
    """

    def respond(self, request: HttpRequest) -> HttpResponse:
        chosen = ""
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            chosen = request.session.get(LANGUAGE_SESSION_KEY, "")
        self.enter(request, chosen)
        return self.leave(self.get_response(request))

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        chosen = ""
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            chosen = await request.session.aget(LANGUAGE_SESSION_KEY, "")
        self.enter(request, chosen)
        return self.leave(await self.get_response(request))

    @staticmethod
    def enter(request: HttpRequest, chosen: str) -> None:
        language = chosen if chosen in dict(settings.LANGUAGES) else translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

    @staticmethod
    def leave(response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        # The thread goes back to the site's language: whatever it does next (the next request of a pooled
        # thread, a test's next line) never writes in this visitor's. A streamed body is still to be made.
        if not response.streaming:
            translation.deactivate()
        return response
