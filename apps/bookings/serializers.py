"""Shapes of the bookings API. Money is a two-place string beside its currency."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.bookings.models import Booking
from apps.bookings.policy import CancellationTerms
from apps.hotels.models import Hotel
from apps.hotels.stays import MAX_PARTY


def money_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True, **kwargs)


class BookingIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, help_text="Hotel slug.")
    room_type = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField(min_value=1, max_value=MAX_PARTY, default=1)
    children = serializers.IntegerField(min_value=0, max_value=MAX_PARTY, default=0)
    offer_code = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    special_requests = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class BookingFiltersIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, required=False, help_text="Hotel slug.")
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)
    arrival = serializers.DateField(required=False, help_text="Check-in date.")
    departure = serializers.DateField(required=False, help_text="Check-out date.")
    q = serializers.CharField(max_length=100, required=False, help_text="Reference, guest name or email.")
    staying_on = serializers.DateField(required=False, help_text="A night of the stay (in house that night).")


class BookingNightOut(serializers.Serializer):
    """A night's price: a frozen BookingNight, or a line of a fresh quote."""

    date = serializers.DateField()
    base = money_field()
    occupancy_charge = money_field()
    price = money_field()


class RoomTypeRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GuestRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()


class BookingOut(serializers.ModelSerializer):
    hotel: serializers.SlugRelatedField[Hotel] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hotel_name = serializers.CharField(source="hotel.name", read_only=True)
    room_type = RoomTypeRef(read_only=True)
    room = serializers.CharField(source="room.number", read_only=True, allow_null=True)
    guest = GuestRef(read_only=True)
    nights = BookingNightOut(source="night_lines", many=True, read_only=True)
    offer_code = serializers.CharField(source="offer.code", read_only=True, allow_null=True, default=None)
    subtotal = money_field()
    discount = money_field()
    taxes = money_field()
    total = money_field()

    class Meta:
        model = Booking
        fields = [
            "reference",
            "status",
            "hotel",
            "hotel_name",
            "room_type",
            "room",
            "guest",
            "check_in",
            "check_out",
            "adults",
            "children",
            "nights",
            "offer_code",
            "subtotal",
            "discount",
            "taxes",
            "total",
            "currency",
            "hold_expires_at",
            "special_requests",
            "created_at",
            "confirmed_at",
            "checked_in_at",
            "checked_out_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class TermsOut(serializers.Serializer):
    free_until = serializers.DateTimeField()
    is_free = serializers.BooleanField()
    keeps = money_field(help_text="What the hotel keeps of the stay's total under its policy.")
    paid = money_field()
    refund = money_field(help_text="What goes back to the guest: paid less what the policy keeps.")
    currency = serializers.CharField()

    @classmethod
    def of(cls, terms: CancellationTerms) -> dict[str, Any]:
        return cls(terms).data


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CancelOut(serializers.Serializer):
    booking = BookingOut()
    refund = TermsOut()


class ChangeDatesIn(serializers.Serializer):
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    preview = serializers.BooleanField(default=False, help_text="Only price the new dates; change nothing.")


class ChangeDatesOut(serializers.Serializer):
    booking = BookingOut()
    changed = serializers.BooleanField()
    new_total = money_field()
    difference = money_field(help_text="New total less the old one: to pay if positive, to refund if negative.")
    currency = serializers.CharField()
    nights = BookingNightOut(many=True)


class CheckInIn(serializers.Serializer):
    room = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, help_text="Room id to move to.")


class CheckOutIn(serializers.Serializer):
    leave_open_reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Why the guest leaves with money still due (a company pays, a dispute); required only then.",
    )


class AssignRoomIn(serializers.Serializer):
    room = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Room id.")


class HistoryLineOut(serializers.Serializer):
    event = serializers.CharField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    actor = serializers.DictField()
    at = serializers.DateTimeField()
    details = serializers.DictField()
    shipped = serializers.BooleanField(help_text="False while the line waits in the outbox for MongoDB.")


class RoomBlockIn(serializers.Serializer):
    """Nights `[start, end)` of one room out of order (`end` is the first night back in order)."""

    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class RoomBlockOut(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.IntegerField(source="room_id")
    room_number = serializers.CharField(source="room.number")
    start = serializers.DateField()
    end = serializers.DateField()
    nights = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
