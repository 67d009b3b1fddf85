"""bookings/ of the API contract: thin views over the lifecycle services and scoped selectors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm_anywhere
from apps.accounts.requests import signed_in_user
from apps.bookings import selectors, services
from apps.bookings.logs import booking_history
from apps.bookings.models import Booking
from apps.bookings.policy import cancellation_terms
from apps.bookings.selectors import Availability
from apps.bookings.serializers import (
    AssignRoomIn,
    BookingFiltersIn,
    BookingIn,
    BookingNightOut,
    BookingOut,
    CancelIn,
    CancelOut,
    ChangeDatesIn,
    ChangeDatesOut,
    CheckInIn,
    CheckOutIn,
    HistoryLineOut,
    RoomBlockIn,
    RoomBlockOut,
    TermsOut,
)
from apps.core.errors import NotFound, PermissionDenied
from apps.core.idempotency import idempotent
from apps.core.parsing import parse_input
from apps.hotels.models import Hotel, Room
from apps.hotels.selectors import hotel_get_cached, room_type_to_book, staff_room_get
from apps.hotels.serializers import AvailabilityOut, AvailabilityQueryIn


def _room_of(booking: Booking, room_id: int) -> Room:
    room = Room.objects.filter(pk=room_id, hotel=booking.hotel).select_related("room_type").first()
    if room is None:
        raise NotFound(_("This hotel has no such room."))
    return room


class BookingListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = BookingOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = BookingFiltersIn(data=self.request.query_params)
        wanted.is_valid(raise_exception=True)
        given = {key: value for key, value in wanted.validated_data.items() if value not in (None, "")}
        return selectors.booking_list_for_user(user=self.request.user, filters=selectors.BookingFilters(**given))

    @extend_schema(
        tags=["bookings"], parameters=[BookingFiltersIn], summary="Bookings: a guest's own, or staff: their hotels'"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["bookings"],
        request=BookingIn,
        responses={201: BookingOut},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        summary="Hold a room (status held until paid or confirmed)",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = parse_input(BookingIn, request.data)
        room_type = room_type_to_book(hotel_slug=data["hotel"], room_type_id=data["room_type"])
        booking = services.booking_create(
            guest=signed_in_user(request),
            hotel=room_type.hotel,
            room_type=room_type,
            check_in=data["check_in"],
            check_out=data["check_out"],
            adults=data["adults"],
            children=data["children"],
            offer_code=data.get("offer_code") or None,
            special_requests=data["special_requests"],
        )
        # The service's own instance carries what it just wrote (hotel, room type, room, guest, offer).
        return Response(BookingOut(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], responses={200: BookingOut}, summary="One booking")
    def get(self, request: Request, reference: str) -> Response:
        return Response(BookingOut(selectors.booking_get_for_user(user=request.user, reference=reference)).data)


class BookingConfirmApi(APIView):
    """Until online payment is configured for a hotel, a guest may confirm to pay at the hotel."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], request=None, responses={200: BookingOut}, summary="Confirm, paying at the hotel")
    def post(self, request: Request, reference: str) -> Response:
        booking = selectors.booking_get_for_guest_or_staff(
            user=request.user, reference=reference, perm="bookings.change_booking"
        )
        booking = services.booking_confirm(booking=booking, method="pay_at_hotel")
        return Response(BookingOut(selectors.booking_get_for_user(user=request.user, reference=reference)).data)


class BookingCancellationTermsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], responses={200: TermsOut}, summary="What cancelling now would cost and refund")
    def get(self, request: Request, reference: str) -> Response:
        booking = selectors.booking_get_for_user(user=request.user, reference=reference)
        return Response(TermsOut.of(cancellation_terms(booking=booking)))


class BookingCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"], request=CancelIn, responses={200: CancelOut}, summary="Cancel; returns the refund proposed"
    )
    def post(self, request: Request, reference: str) -> Response:
        booking = selectors.booking_get_for_guest_or_staff(
            user=request.user, reference=reference, perm="bookings.cancel_booking"
        )
        done = services.booking_cancel(booking=booking, reason=parse_input(CancelIn, request.data)["reason"])
        fresh = selectors.booking_get_for_user(user=request.user, reference=reference)
        return Response({"booking": BookingOut(fresh).data, "refund": TermsOut.of(done.terms)})


class BookingChangeDatesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["bookings"],
        request=ChangeDatesIn,
        responses={200: ChangeDatesOut},
        summary="New dates (re-quoted); with preview=true only the new price",
    )
    def post(self, request: Request, reference: str) -> Response:
        data = parse_input(ChangeDatesIn, request.data)
        booking = selectors.booking_get_for_guest_or_staff(
            user=request.user, reference=reference, perm="bookings.change_booking"
        )
        if data["preview"]:
            change = services.booking_quote_date_change(
                booking=booking, check_in=data["check_in"], check_out=data["check_out"]
            )
        else:
            change = services.booking_change_dates(
                booking=booking, check_in=data["check_in"], check_out=data["check_out"]
            )
        fresh = selectors.booking_get_for_user(user=request.user, reference=reference)
        return Response(
            {
                "booking": BookingOut(fresh).data,
                "changed": not data["preview"],
                "new_total": f"{change.quote.total:.2f}",
                "difference": f"{change.difference:.2f}",
                "currency": change.quote.currency,
                "nights": BookingNightOut(change.quote.nights, many=True).data,
            }
        )


class _StaffTransitionApi(APIView):
    permission_classes = [IsAuthenticated]
    perm = ""

    def booking(self, request: Request, reference: str) -> Booking:
        return selectors.booking_get_for_staff(user=request.user, reference=reference, perm=self.perm)

    def answer(self, request: Request, reference: str) -> Response:
        return Response(BookingOut(selectors.booking_get_for_user(user=request.user, reference=reference)).data)


class BookingCheckInApi(_StaffTransitionApi):
    perm = "bookings.check_in_booking"

    @extend_schema(
        tags=["bookings: desk"], request=CheckInIn, responses={200: BookingOut}, summary="Check the guest in"
    )
    def post(self, request: Request, reference: str) -> Response:
        booking = self.booking(request, reference)
        room_id = parse_input(CheckInIn, request.data).get("room")
        services.booking_check_in(booking=booking, room=_room_of(booking, room_id) if room_id else None)
        return self.answer(request, reference)


class BookingCheckOutApi(_StaffTransitionApi):
    perm = "bookings.check_out_booking"

    @extend_schema(
        tags=["bookings: desk"],
        request=CheckOutIn,
        responses={200: BookingOut},
        summary="Check the guest out (400 while money is due, unless a reason to leave it open is given)",
    )
    def post(self, request: Request, reference: str) -> Response:
        reason = parse_input(CheckOutIn, request.data).get("leave_open_reason", "")
        services.booking_check_out(booking=self.booking(request, reference), leave_open_reason=reason)
        return self.answer(request, reference)


class BookingNoShowApi(_StaffTransitionApi):
    perm = "bookings.mark_no_show_booking"

    @extend_schema(tags=["bookings: desk"], request=None, responses={200: BookingOut}, summary="Mark as no-show")
    def post(self, request: Request, reference: str) -> Response:
        services.booking_mark_no_show(booking=self.booking(request, reference))
        return self.answer(request, reference)


class BookingAssignRoomApi(_StaffTransitionApi):
    perm = "bookings.assign_room_booking"

    @extend_schema(
        tags=["bookings: desk"], request=AssignRoomIn, responses={200: BookingOut}, summary="Assign or move the room"
    )
    def post(self, request: Request, reference: str) -> Response:
        booking = self.booking(request, reference)
        services.booking_assign_room(
            booking=booking, room=_room_of(booking, parse_input(AssignRoomIn, request.data)["room"])
        )
        return self.answer(request, reference)


class BookingHistoryApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], responses={200: HistoryLineOut(many=True)}, summary="State changes, oldest first")
    def get(self, request: Request, reference: str) -> Response:
        booking = selectors.booking_get_for_user(user=request.user, reference=reference)
        return Response(HistoryLineOut(booking_history(booking=booking), many=True).data)


# --- Availability ----------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    return format(value, "f")


def availability_payload(*, hotel: Hotel, query: dict[str, Any], results: list[Availability]) -> dict:
    """AvailabilityOut's shape, built as plain data: the busiest public read skips the serializer machinery.

    tests/bookings/test_availability_api.py holds it to AvailabilityOut, which documents it.
    """
    rows = []
    for found in results:
        room_type, quote = found.room_type, found.quote
        rows.append(
            {
                "room_type": {
                    "id": room_type.pk,
                    "name": room_type.name,
                    "capacity": {
                        "max_adults": room_type.max_adults,
                        "max_children": room_type.max_children,
                        "base_occupancy": room_type.base_occupancy,
                    },
                    "photos": room_type.photo_urls,
                },
                "rooms_left": found.rooms_left,
                "bookable": found.bookable,
                "restriction": found.restriction,
                "nights": [
                    {
                        "date": night.date.isoformat(),
                        "base": _amount(night.base),
                        "occupancy_charge": _amount(night.occupancy_charge),
                        "override_applied": night.override_applied,
                        "price": _amount(night.price),
                    }
                    for night in quote.nights
                ],
                "subtotal": _amount(quote.subtotal),
                "discount": _amount(quote.discount),
                "taxes": _amount(quote.taxes),
                "total": _amount(quote.total),
                "currency": quote.currency,
                "offer": {"id": quote.offer.id, "code": quote.offer.code} if quote.offer else None,
                "offer_note": found.offer_note,
            }
        )
    return {
        "hotel": hotel.slug,
        "check_in": query["check_in"].isoformat(),
        "check_out": query["check_out"].isoformat(),
        "adults": query["adults"],
        "children": query["children"],
        "currency": hotel.currency,
        "results": rows,
    }


class AvailabilityApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["availability"],
        parameters=[AvailabilityQueryIn],
        responses={200: AvailabilityOut},
        summary="What is free on these dates for this party, and what it costs (public)",
        description="Every room type that fits the party, sold-out ones with rooms_left 0. Dates are the hotel's "
        "own; an unknown, expired or used-up offer_code is a 400 invalid_offer.",
    )
    def get(self, request: Request) -> Response:
        query = parse_input(AvailabilityQueryIn, request.query_params.dict())
        hotel = hotel_get_cached(slug=query["hotel"])
        results = selectors.availability_search(
            hotel=hotel,
            check_in=query["check_in"],
            check_out=query["check_out"],
            adults=query["adults"],
            children=query["children"],
            offer_code=query.get("offer_code") or None,
        )
        return Response(availability_payload(hotel=hotel, query=query, results=results))


# --- Rooms out of order ---------------------------------------------------------------------------

BLOCKS_CONFLICT = OpenApiResponse(
    description="Conflict: stays hold some of these nights (their references in `error.fields.stays`), "
    "or the room is already out of order on some of them."
)


def _require_anywhere(user: Any, perm: str) -> None:
    if not user_has_perm_anywhere(user, perm):
        raise PermissionDenied


class RoomBlocksApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["rooms"], responses={200: RoomBlockOut(many=True)}, summary="The room's nights out of order (its staff)"
    )
    def get(self, request: Request, room_id: int) -> Response:
        _require_anywhere(request.user, "bookings.view_roomblock")
        room = staff_room_get(user=request.user, perm="bookings.view_roomblock", room_id=room_id)
        blocks = selectors.staff_blocks_for_room(user=request.user, perm="bookings.view_roomblock", room=room)
        return Response(RoomBlockOut(blocks, many=True).data)

    @extend_schema(
        tags=["rooms"],
        request=RoomBlockIn,
        responses={201: RoomBlockOut, 409: BLOCKS_CONFLICT},
        summary="Take the room out of order for nights [start, end): they are no longer sold",
    )
    def post(self, request: Request, room_id: int) -> Response:
        _require_anywhere(request.user, "bookings.add_roomblock")
        room = staff_room_get(user=request.user, perm="bookings.add_roomblock", room_id=room_id)
        data = parse_input(RoomBlockIn, request.data)
        block = services.room_block_create(
            room=room,
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            created_by=request.user if isinstance(request.user, User) else None,
        )
        return Response(RoomBlockOut(block).data, status=status.HTTP_201_CREATED)


class RoomBlockDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["rooms"], responses={204: None}, summary="Put the room back in order on those nights")
    def delete(self, request: Request, block_id: int) -> Response:
        _require_anywhere(request.user, "bookings.delete_roomblock")
        block = selectors.staff_block_get(user=request.user, perm="bookings.delete_roomblock", block_id=block_id)
        services.room_block_delete(block=block)
        return Response(status=status.HTTP_204_NO_CONTENT)
