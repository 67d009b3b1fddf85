"""Process health for load balancers and orchestrators."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth import get_user
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ErrorCode, error_payload
from apps.core.health import readiness


class HealthzApi(APIView):
    """The process is up and answering. Touches no database."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="healthz",
        tags=["health"],
        responses=inline_serializer("Healthz", {"status": serializers.CharField()}),
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class CheckSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["up", "down", "not_configured"])
    ms = serializers.FloatField(required=False)
    error = serializers.CharField(required=False)


READINESS_TOKEN_HEADER = "X-Readiness-Token"  # noqa: S105 (a header name)


def readiness_details_allowed(request: Request) -> bool:
    """Staff signed in on the site, or a probe sending settings.READINESS_TOKEN in X-Readiness-Token."""
    user = get_user(request._request)  # the site's session; this view takes no API credentials
    if user.is_authenticated and user.is_staff:
        return True
    expected = settings.READINESS_TOKEN
    given = request.headers.get(READINESS_TOKEN_HEADER, "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class ReadyzApi(APIView):
    """PostgreSQL, Redis, MongoDB and the outbox backlog; 503 when PostgreSQL is down."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="readyz",
        tags=["health"],
        description="Each check's state for everyone; error text, timings and figures only for staff or with "
        "the readiness token (READINESS_TOKEN) in X-Readiness-Token.",
        parameters=[OpenApiParameter(READINESS_TOKEN_HEADER, str, OpenApiParameter.HEADER, required=False)],
        responses={
            (200, "application/json"): inline_serializer(
                "Readyz",
                {
                    "status": serializers.ChoiceField(choices=["ready", "not_ready"]),
                    "checks": serializers.DictField(child=serializers.DictField()),
                },
            ),
            (503, "application/json"): inline_serializer(
                "ReadyzDown",
                {
                    "error": serializers.DictField(),
                    "status": serializers.ChoiceField(choices=["not_ready"]),
                    "checks": serializers.DictField(child=serializers.DictField()),
                },
            ),
        },
    )
    def get(self, request: Request) -> Response:
        ready, checks = readiness()
        if not readiness_details_allowed(request):
            # The public learns each service's state, never error text, timings or backlog figures.
            checks = {name: {"state": check["state"]} for name, check in checks.items()}
        if ready:
            return Response({"status": "ready", "checks": checks})
        # Still the one error shape, with the checks beside it for the operator.
        body = error_payload(ErrorCode.SERVICE_UNAVAILABLE, "PostgreSQL is not reachable.")
        return Response({**body, "status": "not_ready", "checks": checks}, status=503)
