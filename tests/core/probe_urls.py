"""The project's URLs plus small API views that fail in each way, to test the one error handler."""

from django.db import transaction
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.core.errors import RoomUnavailable
from tests.testapp.models import Widget


class StayIn(serializers.Serializer):
    check_in = serializers.DateField()
    nights = serializers.IntegerField(min_value=1, max_value=30)


class ValidatingApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        StayIn(data=request.data).is_valid(raise_exception=True)
        return Response({"ok": True})


class PrivateApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class AdminOnlyApi(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({"ok": True})


class OneAMinute(AnonRateThrottle):
    rate = "1/min"
    scope = "probe"


class ThrottledApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OneAMinute]

    def get(self, request):
        return Response({"ok": True})


class DomainErrorApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        with transaction.atomic():  # as every service does
            Widget.objects.create(code="half-written")
            raise RoomUnavailable("Room 101 was just taken.")


class BrokenApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise ZeroDivisionError("a bug")


class MissingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        from django.shortcuts import get_object_or_404

        return Response({"code": get_object_or_404(Widget, pk=0).code})


def broken_page(request):
    raise ZeroDivisionError("a bug in a page")


urlpatterns = [
    path("probe/broken-page/", broken_page),
    path("api/v1/probe/validate/", ValidatingApi.as_view()),
    path("api/v1/probe/private/", PrivateApi.as_view()),
    path("api/v1/probe/admin/", AdminOnlyApi.as_view()),
    path("api/v1/probe/throttled/", ThrottledApi.as_view()),
    path("api/v1/probe/domain/", DomainErrorApi.as_view()),
    path("api/v1/probe/broken/", BrokenApi.as_view()),
    path("api/v1/probe/missing/", MissingApi.as_view()),
    path("", include("hbs.urls")),
]
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
