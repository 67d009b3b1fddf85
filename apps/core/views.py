"""The error pages (HTML for the site, JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from apps.core.errors import ErrorCode, error_payload

API_PREFIX = "/api/"


def _error(request: HttpRequest, status: int, code: ErrorCode, message: str, template: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_payload(code, message), status=status)
    return render(request, template, {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, ErrorCode.VALIDATION_ERROR, "The request could not be understood.", "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, ErrorCode.PERMISSION_DENIED, "You do not have permission to see this page.", "errors/403.html"
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, "We could not find that page.", "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    request_id = getattr(request, "request_id", "")
    message = f"Something went wrong on our side. Please try again; quote request id {request_id} if it persists."
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_payload(ErrorCode.SERVER_ERROR, message), status=500)
    # No template context processors here: the failure may be in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"message": message}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        ErrorCode.PERMISSION_DENIED,
        "Your form expired or came from another site. Please reload the page and try again.",
        "errors/403.html",
    )
