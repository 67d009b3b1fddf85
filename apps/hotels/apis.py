"""hotels/, room-types/, rooms/, amenities/, rates/ and hotels/{slug}/staff/ of the contract.

Public reads are cached (apps.hotels.cache); staff writes are scoped: a hotel
the caller has no rights at answers 404, as if it did not exist, and a caller
with no such right anywhere gets 403.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm, user_has_perm_anywhere
from apps.accounts.requests import signed_in_user
from apps.accounts.services import roles_in_scope
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.parsing import parse_input
from apps.hotels import selectors, services
from apps.hotels.cache import cached
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.serializers import (
    AmenityIn,
    AmenityOut,
    HotelDetailOut,
    HotelOut,
    HotelQueryIn,
    RateIn,
    RateOut,
    RatePatchIn,
    RoomCreateIn,
    RoomOut,
    RoomPatchIn,
    RoomTypeIn,
    RoomTypeOut,
    StaffIn,
    StaffOut,
)

CONFLICT = OpenApiResponse(description="Conflict: a name or number already taken, or something still depends on it.")


def plain(data: Any) -> Any:
    """Serializer output as plain JSON types: safe to pickle into the cache."""
    return json.loads(JSONRenderer().render(data))


def require_anywhere(user: Any, perm: str) -> None:
    """403 for someone who holds `perm` at no hotel at all; scoping (404) does the rest."""
    if not user_has_perm_anywhere(user, perm):
        raise PermissionDenied


class CatalogueReadMixin:
    """GET is public and cached; every other method needs a login (rights are checked per hotel)."""

    def get_permissions(self) -> list:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):  # type: ignore[attr-defined]
            return [AllowAny()]
        return [IsAuthenticated()]

    def cached_list(self, request: Request, key: str, build: Callable[[], Response]) -> Response:
        return Response(cached(f"{key}:{request.get_full_path()}", lambda: plain(build().data)))


# --- Hotels -------------------------------------------------------------------------------


class HotelListApi(CatalogueReadMixin, ListAPIView):
    serializer_class = HotelOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.hotel_list(query=parse_input(HotelQueryIn, self.request.query_params.dict()).get("q", ""))

    @extend_schema(tags=["hotels"], summary="Hotels (public)", parameters=[HotelQueryIn])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.cached_list(request, "hotels", lambda: self.list(request, *args, **kwargs))


def _hotel_with_room_types(slug: str) -> Hotel:
    hotel = selectors.hotel_get(slug=slug)
    room_types = selectors.room_type_list(hotel=hotel)
    hotel.live_room_types = list(room_types)  # type: ignore[attr-defined]
    return hotel


class HotelDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["hotels"], responses={200: HotelDetailOut}, summary="One hotel with its room types (public)")
    def get(self, request: Request, slug: str) -> Response:
        return Response(cached(f"hotel:{slug}", lambda: plain(HotelDetailOut(_hotel_with_room_types(slug)).data)))


# --- Room types -------------------------------------------------------------------------------


class HotelRoomTypesApi(CatalogueReadMixin, ListAPIView):
    serializer_class = RoomTypeOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return RoomType.objects.none()
        return selectors.room_type_list(hotel=selectors.hotel_get(slug=self.kwargs["slug"]))

    @extend_schema(tags=["room types"], summary="A hotel's room types (public)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.cached_list(request, "room-types", lambda: self.list(request, *args, **kwargs))

    @extend_schema(
        tags=["room types"], request=RoomTypeIn, responses={201: RoomTypeOut, 409: CONFLICT}, summary="Add a room type"
    )
    def post(self, request: Request, slug: str) -> Response:
        require_anywhere(request.user, "hotels.add_roomtype")
        hotel = selectors.staff_hotel_get(user=request.user, perm="hotels.add_roomtype", slug=slug)
        room_type = services.room_type_create(hotel=hotel, **parse_input(RoomTypeIn, request.data))
        return Response(RoomTypeOut(selectors.room_type_get(room_type_id=room_type.pk)).data, status=201)


class RoomTypeDetailApi(CatalogueReadMixin, APIView):
    @extend_schema(tags=["room types"], responses={200: RoomTypeOut}, summary="One room type (public)")
    def get(self, request: Request, room_type_id: int) -> Response:
        return Response(
            cached(
                f"room-type:{room_type_id}",
                lambda: plain(RoomTypeOut(selectors.room_type_get(room_type_id=room_type_id)).data),
            )
        )

    @extend_schema(
        tags=["room types"],
        request=RoomTypeIn,
        responses={200: RoomTypeOut, 409: CONFLICT},
        summary="Change a room type",
    )
    def patch(self, request: Request, room_type_id: int) -> Response:
        require_anywhere(request.user, "hotels.change_roomtype")
        room_type = selectors.staff_room_type_get(
            user=request.user, perm="hotels.change_roomtype", room_type_id=room_type_id
        )
        room_type = services.room_type_update(
            room_type=room_type, **parse_input(RoomTypeIn, request.data, partial=True)
        )
        return Response(RoomTypeOut(selectors.room_type_get(room_type_id=room_type.pk)).data)

    @extend_schema(
        tags=["room types"], responses={204: None, 409: CONFLICT}, summary="Remove a room type (without rooms)"
    )
    def delete(self, request: Request, room_type_id: int) -> Response:
        require_anywhere(request.user, "hotels.delete_roomtype")
        room_type = selectors.staff_room_type_get(
            user=request.user, perm="hotels.delete_roomtype", room_type_id=room_type_id
        )
        services.room_type_delete(room_type=room_type)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Rooms (staff only) ------------------------------------------------------------------------


def _room_type_of(hotel: Hotel, room_type_id: int) -> RoomType:
    room_type = RoomType.objects.filter(pk=room_type_id, hotel=hotel).first() if room_type_id < 2**63 else None
    if room_type is None:
        raise ValidationFailed(fields={"room_type": [_("Not a room type of this hotel.")]})
    return room_type


class HotelRoomsApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RoomOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Room.objects.none()
        require_anywhere(self.request.user, "hotels.view_room")
        hotel = selectors.staff_hotel_get(user=self.request.user, perm="hotels.view_room", slug=self.kwargs["slug"])
        return selectors.staff_room_list(user=self.request.user, perm="hotels.view_room", hotel=hotel)

    @extend_schema(tags=["rooms"], summary="A hotel's rooms (its staff)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["rooms"],
        request=RoomCreateIn,
        responses={201: RoomOut(many=True), 409: CONFLICT},
        summary="Add a room, or many at once with numbers: '101-140'",
    )
    def post(self, request: Request, slug: str) -> Response:
        require_anywhere(request.user, "hotels.add_room")
        hotel = selectors.staff_hotel_get(user=request.user, perm="hotels.add_room", slug=slug)
        data = parse_input(RoomCreateIn, request.data)
        rooms = services.rooms_create(
            hotel=hotel,
            room_type=_room_type_of(hotel, data["room_type"]),
            numbers=data.get("numbers") or data["number"],
            floor=data.get("floor"),
            in_service=data["in_service"],
        )
        return Response(RoomOut(rooms, many=True).data, status=status.HTTP_201_CREATED)


class RoomDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["rooms"], responses={200: RoomOut}, summary="One room (its hotel's staff)")
    def get(self, request: Request, room_id: int) -> Response:
        require_anywhere(request.user, "hotels.view_room")
        return Response(
            RoomOut(selectors.staff_room_get(user=request.user, perm="hotels.view_room", room_id=room_id)).data
        )

    @extend_schema(
        tags=["rooms"],
        request=RoomPatchIn,
        responses={200: RoomOut, 409: CONFLICT},
        summary="Change a room; housekeeping staff may set only `housekeeping`",
    )
    def patch(self, request: Request, room_id: int) -> Response:
        data = parse_input(RoomPatchIn, request.data, partial=True)
        if set(data) == {"housekeeping"}:
            perm = "hotels.change_room_housekeeping"
            require_anywhere(request.user, perm)
            room = selectors.staff_room_get(user=request.user, perm=perm, room_id=room_id)
            return Response(RoomOut(services.room_set_housekeeping(room=room, housekeeping=data["housekeeping"])).data)
        require_anywhere(request.user, "hotels.change_room")
        room = selectors.staff_room_get(user=request.user, perm="hotels.change_room", room_id=room_id)
        room_type = _room_type_of(room.hotel, data.pop("room_type")) if "room_type" in data else None
        return Response(RoomOut(services.room_update(room=room, room_type=room_type, **data)).data)

    @extend_schema(
        tags=["rooms"], responses={204: None, 409: CONFLICT}, summary="Remove a room (no current or future bookings)"
    )
    def delete(self, request: Request, room_id: int) -> Response:
        require_anywhere(request.user, "hotels.delete_room")
        services.room_delete(
            room=selectors.staff_room_get(user=request.user, perm="hotels.delete_room", room_id=room_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Amenities ----------------------------------------------------------------------------------


class AmenityListApi(CatalogueReadMixin, ListAPIView):
    serializer_class = AmenityOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.amenity_list()

    @extend_schema(tags=["amenities"], summary="Amenities (public)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.cached_list(request, "amenities", lambda: self.list(request, *args, **kwargs))

    @extend_schema(
        tags=["amenities"],
        request=AmenityIn,
        responses={201: AmenityOut, 409: CONFLICT},
        summary="Add an amenity (admin)",
    )
    def post(self, request: Request) -> Response:
        if not user_has_perm(request.user, "hotels.add_amenity"):
            raise PermissionDenied
        amenity: Amenity = services.amenity_create(**parse_input(AmenityIn, request.data))
        return Response(AmenityOut(amenity).data, status=status.HTTP_201_CREATED)


# --- Rates (staff only) ---------------------------------------------------------------------------


class HotelRatesApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RateOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return RateOverride.objects.none()
        perm = "hotels.view_rateoverride"
        require_anywhere(self.request.user, perm)
        hotel = selectors.staff_hotel_get(user=self.request.user, perm=perm, slug=self.kwargs["slug"])
        return selectors.staff_rate_list(user=self.request.user, perm=perm, hotel=hotel)

    @extend_schema(tags=["rates"], summary="A hotel's date rate overrides (its staff)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["rates"], request=RateIn, responses={201: RateOut}, summary="Add a rate override")
    def post(self, request: Request, slug: str) -> Response:
        require_anywhere(request.user, "hotels.add_rateoverride")
        hotel = selectors.staff_hotel_get(user=request.user, perm="hotels.add_rateoverride", slug=slug)
        data = parse_input(RateIn, request.data)
        room_type = _room_type_of(hotel, data.pop("room_type"))
        rate = services.rate_override_create(room_type=room_type, **data)
        return Response(RateOut(rate).data, status=status.HTTP_201_CREATED)


class RateDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["rates"], request=RatePatchIn, responses={200: RateOut}, summary="Change a rate override")
    def patch(self, request: Request, rate_id: int) -> Response:
        require_anywhere(request.user, "hotels.change_rateoverride")
        rate = selectors.staff_rate_get(user=request.user, perm="hotels.change_rateoverride", rate_id=rate_id)
        return Response(
            RateOut(services.rate_override_update(rate=rate, **parse_input(RatePatchIn, request.data))).data
        )

    @extend_schema(tags=["rates"], responses={204: None}, summary="Remove a rate override")
    def delete(self, request: Request, rate_id: int) -> Response:
        require_anywhere(request.user, "hotels.delete_rateoverride")
        rate = selectors.staff_rate_get(user=request.user, perm="hotels.delete_rateoverride", rate_id=rate_id)
        services.rate_override_delete(rate=rate)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Staff of a hotel ---------------------------------------------------------------------------------


def _staff_rows(hotel: Hotel) -> list[dict[str, Any]]:
    held = roles_in_scope(scope=hotel)
    users = User.objects.filter(pk__in=list(held)).order_by("email")
    return [
        {"user": {"id": u.pk, "email": u.email, "name": u.get_full_name()}, "roles": sorted(held[u.pk])} for u in users
    ]


class HotelStaffApi(APIView):
    permission_classes = [IsAuthenticated]
    perm = "hotels.manage_staff_hotel"

    def _hotel(self, request: Request, slug: str) -> Hotel:
        require_anywhere(request.user, self.perm)
        return selectors.staff_hotel_get(user=request.user, perm=self.perm, slug=slug)

    @extend_schema(tags=["staff"], responses={200: StaffOut(many=True)}, summary="Who holds which role at this hotel")
    def get(self, request: Request, slug: str) -> Response:
        return Response(StaffOut(_staff_rows(self._hotel(request, slug)), many=True).data)

    @extend_schema(
        tags=["staff"], request=StaffIn, responses={200: StaffOut(many=True)}, summary="Grant a role at this hotel"
    )
    def post(self, request: Request, slug: str) -> Response:
        hotel = self._hotel(request, slug)
        data = parse_input(StaffIn, request.data)
        services.hotel_staff_grant(
            hotel=hotel,
            user=services.staff_user_find(user=data["user"]),
            role=data["role"],
            granted_by=signed_in_user(request),
        )
        return Response(StaffOut(_staff_rows(hotel), many=True).data)

    @extend_schema(
        tags=["staff"],
        request=StaffIn,
        responses={200: StaffOut(many=True)},
        parameters=[
            OpenApiParameter("user", str, description="The user's id or email (or send it in the body)."),
            OpenApiParameter("role", str, description="The role to revoke (or send it in the body)."),
        ],
        summary="Revoke a role at this hotel",
    )
    def delete(self, request: Request, slug: str) -> Response:
        hotel = self._hotel(request, slug)
        data = parse_input(StaffIn, request.data if request.data else request.query_params.dict())
        services.hotel_staff_revoke(hotel=hotel, user=services.staff_user_find(user=data["user"]), role=data["role"])
        return Response(StaffOut(_staff_rows(hotel), many=True).data)
