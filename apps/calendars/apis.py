"""channels/ of the API contract: the staff's channels of a hotel, their import now, their export secret."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm_anywhere
from apps.calendars import selectors, services
from apps.calendars.serializers import ChannelIn, ChannelOut, ChannelPatchIn, ChannelSyncOut
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.parsing import parse_input
from apps.hotels.models import RoomType
from apps.hotels.selectors import staff_hotel_get

VIEW, ADD, CHANGE, DELETE = (f"calendars.{action}_channel" for action in ("view", "add", "change", "delete"))


def _require_anywhere(user: Any, perm: str) -> None:
    if not user_has_perm_anywhere(user, perm):
        raise PermissionDenied


class HotelChannelsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["channels"], responses={200: ChannelOut(many=True)}, summary="The hotel's booking channels")
    def get(self, request: Request, slug: str) -> Response:
        _require_anywhere(request.user, VIEW)
        hotel = staff_hotel_get(user=request.user, perm=VIEW, slug=slug)
        channels = selectors.staff_channels(user=request.user).filter(hotel=hotel)
        return Response(ChannelOut(channels, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["channels"],
        request=ChannelIn,
        responses={201: ChannelOut},
        summary="Add a booking channel to a room type",
    )
    def post(self, request: Request, slug: str) -> Response:
        _require_anywhere(request.user, ADD)
        hotel = staff_hotel_get(user=request.user, perm=ADD, slug=slug)
        data = parse_input(ChannelIn, request.data)
        room_type = RoomType.objects.filter(pk=data["room_type"], hotel=hotel).first()
        if room_type is None:
            raise ValidationFailed(
                _("This channel cannot be saved."), fields={"room_type": [_("Choose a room type of this hotel.")]}
            )
        channel = services.channel_create(
            hotel=hotel,
            room_type=room_type,
            name=data["name"],
            import_url=data["import_url"],
            created_by=request.user if isinstance(request.user, User) else None,
        )
        return Response(ChannelOut(channel, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ChannelDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["channels"], responses={200: ChannelOut}, summary="A booking channel")
    def get(self, request: Request, channel_id: int) -> Response:
        _require_anywhere(request.user, VIEW)
        channel = selectors.staff_channel_get(user=request.user, perm=VIEW, channel_id=channel_id)
        return Response(ChannelOut(channel, context={"request": request}).data)

    @extend_schema(
        tags=["channels"], request=ChannelPatchIn, responses={200: ChannelOut}, summary="Rename it or change its feed"
    )
    def patch(self, request: Request, channel_id: int) -> Response:
        _require_anywhere(request.user, CHANGE)
        channel = selectors.staff_channel_get(user=request.user, perm=CHANGE, channel_id=channel_id)
        data = parse_input(ChannelPatchIn, request.data)
        channel = services.channel_update(channel=channel, **data)
        return Response(ChannelOut(channel, context={"request": request}).data)

    @extend_schema(tags=["channels"], responses={204: None}, summary="Remove it: the nights it held are released")
    def delete(self, request: Request, channel_id: int) -> Response:
        _require_anywhere(request.user, DELETE)
        channel = selectors.staff_channel_get(user=request.user, perm=DELETE, channel_id=channel_id)
        services.channel_delete(channel=channel)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChannelSyncApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["channels"],
        request=None,
        responses={200: ChannelSyncOut},
        summary="Import the channel's feed now (a refused feed: `error` and `channel.last_error`, nothing changed)",
    )
    def post(self, request: Request, channel_id: int) -> Response:
        _require_anywhere(request.user, CHANGE)
        channel = selectors.staff_channel_get(user=request.user, perm=CHANGE, channel_id=channel_id)
        result = services.channel_sync(channel=channel)
        payload = {
            "channel": channel,
            "not_modified": result.not_modified,
            "blocked": result.blocked,
            "released": result.released,
            "unchanged": result.unchanged,
            "conflicts": result.conflicts,
            "error": result.error,
        }
        return Response(ChannelSyncOut(payload, context={"request": request}).data)


class ChannelRotateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["channels"], request=None, responses={200: ChannelOut}, summary="A new export URL; the old one is retired"
    )
    def post(self, request: Request, channel_id: int) -> Response:
        _require_anywhere(request.user, CHANGE)
        channel = selectors.staff_channel_get(user=request.user, perm=CHANGE, channel_id=channel_id)
        channel = services.channel_rotate_export(channel=channel)
        return Response(ChannelOut(channel, context={"request": request}).data)
