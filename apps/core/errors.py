"""The one error family. Services raise these; the API handler and the page helper render them.

API shape: {"error": {"code": "...", "message": "...", "fields": {...}}}
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorCode(StrEnum):
    VALIDATION_ERROR = "validation_error"
    PARSE_ERROR = "parse_error"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    CONFLICT = "conflict"
    ROOM_UNAVAILABLE = "room_unavailable"
    INVALID_STATE = "invalid_state"
    INVALID_OFFER = "invalid_offer"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    INVALID_SIGNATURE = "invalid_signature"
    FOUR_EYES_REQUIRED = "four_eyes_required"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


FieldErrors = dict[str, list[str]]


class ApplicationError(Exception):
    """A failure the caller can act on: a stable code, a human message, optional field errors."""

    code: ErrorCode = ErrorCode.CONFLICT
    status: int = 409
    default_message: StrOrPromise = _("The request could not be completed.")

    def __init__(
        self,
        message: StrOrPromise | None = None,
        *,
        fields: FieldErrors | None = None,
        code: ErrorCode | None = None,
        status: int | None = None,
    ) -> None:
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def as_payload(self) -> dict[str, dict[str, object]]:
        return error_payload(self.code, self.message, self.fields)


def error_payload(code: str, message: str, fields: FieldErrors | None = None) -> dict[str, dict[str, object]]:
    return {"error": {"code": str(code), "message": message, "fields": fields or {}}}


class ValidationFailed(ApplicationError):
    code = ErrorCode.VALIDATION_ERROR
    status = 400
    default_message = _("Some fields are not valid.")


class NotFound(ApplicationError):
    code = ErrorCode.NOT_FOUND
    status = 404
    default_message = _("Not found.")


class PermissionDenied(ApplicationError):
    code = ErrorCode.PERMISSION_DENIED
    status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(ApplicationError):
    code = ErrorCode.CONFLICT
    status = 409


class InvalidState(ApplicationError):
    code = ErrorCode.INVALID_STATE
    status = 409
    default_message = _("This action is not possible in the current state.")


class RoomUnavailable(ApplicationError):
    code = ErrorCode.ROOM_UNAVAILABLE
    status = 409
    default_message = _("That room is no longer available for these dates.")


class Throttled(ApplicationError):
    code = ErrorCode.THROTTLED
    status = 429
    default_message = _("Too many attempts. Please wait a moment and try again.")

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many attempts. Please try again in {retry_after} seconds.")
