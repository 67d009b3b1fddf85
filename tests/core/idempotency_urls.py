"""A tiny API that creates a row per call, guarded by Idempotency-Key like bookings and payments."""

import threading

from django.db import transaction
from django.urls import include, path
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import Conflict
from apps.core.idempotency import idempotent
from tests.testapp.models import Widget

# Tests may hold the first request inside its work to race a second one.
hold_first_request = threading.Event()
first_request_started = threading.Event()


class WidgetIn(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    slow = serializers.BooleanField(default=False)


class WidgetCreateApi(APIView):
    @idempotent
    def post(self, request):
        data = WidgetIn(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["code"] == "taken":
            raise Conflict("That code is taken.")
        if data.validated_data["slow"]:
            first_request_started.set()
            hold_first_request.wait(10)
        with transaction.atomic():
            widget = Widget.objects.create(code=data.validated_data["code"])
        return Response({"id": widget.pk, "code": widget.code}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("api/v1/test/widgets/", WidgetCreateApi.as_view()),
    path("", include("hbs.urls")),
]
