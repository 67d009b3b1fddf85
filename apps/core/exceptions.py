"""One DRF exception handler: every API error leaves in the shape of API.md."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.errors import ApplicationError, ErrorCode, FieldErrors, Throttled, error_payload

logger = logging.getLogger("hbs.errors")

_API_EXCEPTION_CODES: list[tuple[type[exceptions.APIException], ErrorCode]] = [
    (exceptions.ValidationError, ErrorCode.VALIDATION_ERROR),
    (exceptions.ParseError, ErrorCode.PARSE_ERROR),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
]


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def _field_errors(detail: Any) -> FieldErrors:
    """DRF's nested detail → {"field": [...], "rooms.0.number": [...]}; non-field errors under "non_field_errors"."""
    fields: FieldErrors = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            fields.setdefault(prefix or "non_field_errors", []).extend(_flatten(value))

    walk("", detail)
    return {key: messages for key, messages in fields.items() if messages}


def _validation_message(fields: FieldErrors) -> str:
    if list(fields) == ["non_field_errors"]:
        return fields["non_field_errors"][0]
    names = ", ".join(name for name in fields if name != "non_field_errors")
    return _("Please correct these fields: %(names)s.") % {"names": names} if names else _("The request is not valid.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, ApplicationError):
        set_rollback()
        retry = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        return Response(exc.as_payload(), status=exc.status, headers=retry)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)

    if isinstance(exc, exceptions.APIException):
        set_rollback()
        code = next((code for kind, code in _API_EXCEPTION_CODES if isinstance(exc, kind)), None)
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
        if isinstance(exc, exceptions.ValidationError):
            fields = _field_errors(exc.detail)
            payload = error_payload(ErrorCode.VALIDATION_ERROR, _validation_message(fields), fields)
        else:
            message = " ".join(_flatten(exc.detail))
            payload = error_payload(code or str(getattr(exc, "default_code", "error")), message)
        return Response(payload, status=exc.status_code, headers=headers)

    # Anything else is a bug: log it with the request id, answer in the same shape.
    request = context.get("request")
    logger.exception("unhandled error in API view", extra={"path": getattr(request, "path", "")})
    set_rollback()
    request_id = getattr(getattr(request, "_request", request), "request_id", "")
    return Response(
        error_payload(
            ErrorCode.SERVER_ERROR,
            _("Something went wrong on our side. Please try again; quote request id %(id)s if it persists.")
            % {"id": request_id},
        ),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
