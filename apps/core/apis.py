"""Process health for load balancers and orchestrators."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
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


class ReadyzApi(APIView):
    """PostgreSQL, Redis, MongoDB and the outbox backlog; 503 when PostgreSQL is down."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="readyz",
        tags=["health"],
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
        if ready:
            return Response({"status": "ready", "checks": checks})
        # Still the one error shape, with the checks beside it for the operator.
        body = error_payload(ErrorCode.SERVICE_UNAVAILABLE, "PostgreSQL is not reachable.")
        return Response({**body, "status": "not_ready", "checks": checks}, status=503)
