"""notifications/ of the API contract: a person's own notifications, reading them, and email preferences."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.core.parsing import parse_input
from apps.notifications import selectors, services
from apps.notifications.serializers import (
    NotificationFiltersIn,
    NotificationOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
    NotificationsReadAllOut,
)


def _person(request: Request) -> User:
    """The caller (every endpoint here is IsAuthenticated)."""
    return cast(User, request.user)


class NotificationListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = parse_input(NotificationFiltersIn, self.request.query_params)
        return selectors.notification_list_for_user(user=_person(self.request), unread=wanted.get("unread"))

    @extend_schema(
        tags=["notifications"], parameters=[NotificationFiltersIn], summary="Own notifications, unread first"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["notifications"], request=None, responses={200: NotificationOut}, summary="Mark one read")
    def post(self, request: Request, notification_id: int) -> Response:
        notification = selectors.notification_get_for_user(user=_person(request), notification_id=notification_id)
        notification = services.notification_mark_read(notification=notification)
        return Response(NotificationOut(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"], request=None, responses={200: NotificationsReadAllOut}, summary="Mark all read"
    )
    def post(self, request: Request) -> Response:
        marked = services.notification_mark_all_read(user=_person(request))
        return Response(NotificationsReadAllOut({"marked_read": marked}).data)


class NotificationPreferencesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        responses={200: NotificationPreferencesOut},
        summary="Email on or off for each kind the caller can receive",
    )
    def get(self, request: Request) -> Response:
        rows = selectors.preferences_for_user(user=_person(request))
        return Response(NotificationPreferencesOut({"preferences": rows}).data)

    @extend_schema(
        tags=["notifications"],
        request=NotificationPreferencesIn,
        responses={200: NotificationPreferencesOut},
        summary="Set email on or off for some kinds (confirmations and receipts stay on)",
    )
    def patch(self, request: Request) -> Response:
        data = parse_input(NotificationPreferencesIn, request.data)
        services.preferences_update(
            user=_person(request), email_by_kind={row["kind"]: row["email"] for row in data["preferences"]}
        )
        rows = selectors.preferences_for_user(user=_person(request))
        return Response(NotificationPreferencesOut({"preferences": rows}).data)
