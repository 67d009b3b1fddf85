"""`Idempotency-Key` for writes that create money or inventory (API.md).

Same key and body → the first response, replayed; same key, other body → 409
`idempotency_mismatch`; while the first is still running → 409
`idempotency_in_progress`. Keys are scoped per user. A first attempt that
ended in a server error leaves no record, so it can be retried; one that
crashed mid-way is taken over once it is older than STALE_AFTER.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.errors import ApplicationError, Conflict, ErrorCode, ValidationFailed
from apps.core.exceptions import api_exception_handler
from apps.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
STALE_AFTER = timedelta(minutes=2)
KEEP_FOR = timedelta(days=1)
MAX_KEY_LENGTH = 255


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _claim(*, user_id: int, key: str, print_: str) -> IdempotencyKey | Response:
    """Insert the in-progress row in its own committed transaction, or answer from the existing one."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user_id=user_id, key=key, fingerprint=print_, created_at=now)
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = IdempotencyKey.objects.select_for_update().get(user_id=user_id, key=key)
        if existing.created_at < now - KEEP_FOR:
            existing.delete()  # an old key may be used again
            return IdempotencyKey.objects.create(user_id=user_id, key=key, fingerprint=print_, created_at=now)
        if existing.fingerprint != print_:
            raise Conflict(
                _("This Idempotency-Key was already used with a different request."),
                code=ErrorCode.IDEMPOTENCY_MISMATCH,
            )
        if existing.state == IdempotencyKey.State.COMPLETED:
            return Response(
                existing.response_body, status=existing.response_status, headers={"Idempotent-Replayed": "true"}
            )
        if existing.created_at > now - STALE_AFTER:
            raise Conflict(
                _("A request with this Idempotency-Key is still being processed; retry in a moment."),
                code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
            )
        existing.created_at = now  # the first attempt died: this one takes over
        existing.save(update_fields=["created_at"])
        return existing


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Decorates a DRF `post` method. Without the header the request simply runs."""

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed(fields={HEADER: [_("At most %(count)s characters.") % {"count": MAX_KEY_LENGTH}]})
        claimed = _claim(user_id=request.user.pk, key=key, print_=fingerprint(request))
        if isinstance(claimed, Response):
            return claimed
        try:
            response = handler(view, request, *args, **kwargs)
        except (ApplicationError, APIException) as error:
            refusal = api_exception_handler(error, {"request": request})
            if refusal.status_code < 500:  # a refusal is this request's answer: replay it too
                _complete(claimed, refusal.status_code, refusal.data)
            else:
                IdempotencyKey.objects.filter(pk=claimed.pk).delete()
            raise
        except Exception:
            IdempotencyKey.objects.filter(pk=claimed.pk).delete()  # a server error may be retried
            raise
        _complete(claimed, response.status_code, response.data)
        return response

    return wrapper


def _complete(record: IdempotencyKey, status: int, body: Any) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(
        state=IdempotencyKey.State.COMPLETED,
        response_status=status,
        response_body=json.loads(json.dumps(body, default=str)),
        completed_at=timezone.now(),
    )
