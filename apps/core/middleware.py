"""Request id on every response, and one JSON log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from apps.core import context

logger = logging.getLogger("hbs.request")
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


class RequestIdMiddleware:
    """Takes the caller's X-Request-ID when it is sane, else makes one; echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:256],
                request=request,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestLogMiddleware:
    """Logs id, user, method, path, status and duration of each request as one JSON line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
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
        return response


class PageNotFoundMiddleware:
    """On pages, a selector's NotFound is the friendly 404 page, exactly as Http404 would give.

    Services and selectors speak ApplicationError; the API's exception handler
    renders it, and this does the same for the one error pages reach for most.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from apps.core.errors import NotFound
        from apps.core.views import API_PREFIX, page_not_found

        if isinstance(exception, NotFound) and not request.path.startswith(API_PREFIX):
            return page_not_found(request, exception)
        return None


class ProfileLanguageMiddleware:
    """A signed-in person's page follows the language of their profile, over the cookie and Accept-Language.

    LocaleMiddleware (before this one) has chosen from the switcher's cookie, else the browser;
    its response side then states the language this one activated (Content-Language).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = getattr(user, "preferred_language", "") or ""
            if chosen in {code for code, _ in settings.LANGUAGES} and chosen != translation.get_language():
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
