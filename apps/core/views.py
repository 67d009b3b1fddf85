"""The error pages (HTML for the site, JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.core.errors import ErrorCode, error_payload

API_PREFIX = "/api/"


def _error(request: HttpRequest, status: int, code: ErrorCode, message: str, template: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_payload(code, message), status=status)
    return render(request, template, {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, ErrorCode.VALIDATION_ERROR, _("The request could not be understood."), "errors/400.html"
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, ErrorCode.PERMISSION_DENIED, _("You do not have permission to see this page."), "errors/403.html"
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, _("We could not find that page."), "errors/404.html")


@csrf_exempt  # no endpoint, nothing to protect: a POST to a wrong address is told so, not refused
def api_not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    """The last pattern under /api/: no endpoint there is a 404 in the error shape, whatever DEBUG says.

    (With DEBUG on, Django would otherwise answer its HTML debug page.) A GET that only lacks its final
    slash is sent on, as CommonMiddleware would have done; any other method is told the right path,
    since a redirect would drop its body.
    """
    message = "There is no API endpoint at this address."
    if not request.path_info.endswith("/"):
        try:
            found = resolve(f"{request.path_info}/")
        except Resolver404:
            found = None
        if found is not None and found.func is not api_not_found:
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
            message = f"There is no API endpoint at this address; did you mean {request.path}/ (with the slash)?"
    return JsonResponse(error_payload(ErrorCode.NOT_FOUND, message), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    request_id = getattr(request, "request_id", "")
    message = _("Something went wrong on our side. Please try again; quote request id %(id)s if it persists.") % {
        "id": request_id
    }
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
        _("Your form expired or came from another site. Please reload the page and try again."),
        "errors/403.html",
    )
