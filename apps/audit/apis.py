"""The audit API: `GET audit-logs/` for admins and auditors (API.md)."""

from __future__ import annotations

import base64
import binascii
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from apps.audit.selectors import AuditFilter, audit_log_page
from apps.audit.serializers import AuditLogOut, AuditLogPage, AuditLogQuery
from apps.core.errors import ValidationFailed

VIEW_AUDIT_LOG = "audit.view_auditlog"


class CanReadAuditLog(BasePermission):
    message = gettext_lazy("Reading the audit logs needs the audit.view_auditlog permission.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm(VIEW_AUDIT_LOG))


def _encode_cursor(position: dict[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, int]:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(position, dict) and len(position) == 1:
            ((key, value),) = position.items()
            if key in {"before", "after"} and isinstance(value, int) and not isinstance(value, bool):
                return position
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise ValidationFailed(
        _("This cursor is not valid; use a `next` or `previous` link as given."),
        fields={"cursor": [_("Invalid cursor.")]},
    )


class AuditLogListApi(APIView):
    """Audit lines, newest first; waiting lines (not yet in MongoDB) are included with `shipped: false`."""

    permission_classes = [IsAuthenticated, CanReadAuditLog]

    @extend_schema(
        operation_id="audit_logs_list",
        tags=["audit"],
        parameters=[
            OpenApiParameter("entity", str, description="Model label, e.g. `accounts.user`."),
            OpenApiParameter("entity_id", str, description="Primary key of the row."),
            OpenApiParameter(
                "ref", str, description="The entity's human key (`entity_ref`), e.g. a booking's `HBS-7K3M9Q`."
            ),
            OpenApiParameter("actor", str, description="A user id, or `system` or `anonymous`."),
            OpenApiParameter("since", {"type": "string", "format": "date-time"}, description="ISO 8601 instant."),
            OpenApiParameter("cursor", str, description="From `next` / `previous`."),
            OpenApiParameter("page_size", int, description="1 to 200, default 50."),
        ],
        responses={200: AuditLogPage},
    )
    def get(self, request: Request) -> Response:
        query = AuditLogQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        position = _decode_cursor(params["cursor"]) if params.get("cursor") else {}
        page = audit_log_page(
            filters=AuditFilter(
                entity=params.get("entity"),
                entity_id=params.get("entity_id"),
                ref=params.get("ref"),
                actor=params.get("actor"),
                since=params.get("since"),
            ),
            limit=params["page_size"],
            before=position.get("before"),
            after=position.get("after"),
        )
        url = request.build_absolute_uri()
        going_back = "after" in position
        next_url = previous_url = None
        if page.lines:
            if page.has_more or going_back:
                next_url = replace_query_param(url, "cursor", _encode_cursor({"before": page.lines[-1]["id"]}))
            if (page.has_more and going_back) or "before" in position:
                previous_url = replace_query_param(url, "cursor", _encode_cursor({"after": page.lines[0]["id"]}))
        elif going_back:
            next_url = remove_query_param(url, "cursor")
        body = {"next": next_url, "previous": previous_url, "results": AuditLogOut(page.lines, many=True).data}
        return Response(body)
