"""Input and output shapes of the catalogue API. Money leaves as "129.00" strings with a currency."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.roles import HOTEL_ROLES
from apps.core.models import MONEY
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.stays import MAX_PARTY


def Money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, coerce_to_string=True, **kwargs)


@extend_schema_field(
    {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "15:00", "description": "Hotel-local time."}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time at the hotel ("15:00"): no offset, unlike an RFC 3339 time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class HotelQueryIn(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="Part of a name or city.")


class AmenityOut(serializers.ModelSerializer):
    class Meta:
        model = Amenity
        fields = ["id", "code", "name"]


class AmenityIn(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=80)


class HotelOut(serializers.ModelSerializer):
    map_url = serializers.CharField(read_only=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, read_only=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, read_only=True)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    late_cancellation_share = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    check_in_time = LocalTimeField(read_only=True)
    check_out_time = LocalTimeField(read_only=True)
    rating = serializers.DecimalField(
        max_digits=2, decimal_places=1, coerce_to_string=False, allow_null=True, read_only=True,
        help_text="Average of the published reviews, one decimal (4.3); null when there is none.",
    )  # fmt: skip
    review_count = serializers.IntegerField(read_only=True, help_text="Published reviews.")
    deposit_rule = serializers.ChoiceField(
        choices=Hotel.Deposit.choices, read_only=True,
        help_text="What confirms a hold: none (pay at the hotel allowed), the first night, or a share of the stay "
        "paid online. With a deposit, pay-at-hotel is refused (409).",
    )  # fmt: skip
    deposit_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, help_text="With `share`: 0.3000 asks 30 % of the stay."
    )
    max_unpaid_rooms_per_guest = serializers.IntegerField(
        read_only=True, help_text="Rooms one guest may hold or confirm unpaid on one night; past it, 409."
    )

    class Meta:
        model = Hotel
        fields = [
            "slug", "name", "description", "address", "city", "country", "latitude", "longitude", "map_url",
            "email", "phone", "time_zone", "currency", "check_in_time", "check_out_time", "tax_rate",
            "free_cancellation_hours", "late_cancellation_keeps", "late_cancellation_share", "deposit_rule",
            "deposit_share", "max_unpaid_rooms_per_guest", "rating", "review_count",
        ]  # fmt: skip


class CapacityOut(serializers.Serializer):
    max_adults = serializers.IntegerField()
    max_children = serializers.IntegerField()
    base_occupancy = serializers.IntegerField()


class RoomTypeOut(serializers.ModelSerializer):
    hotel: serializers.SlugRelatedField[Hotel] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    capacity = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    base_rate = Money()
    extra_adult_charge = Money()
    extra_child_charge = Money()
    currency = serializers.CharField(source="hotel.currency", read_only=True)
    amenities = AmenityOut(many=True, read_only=True)

    class Meta:
        model = RoomType
        fields = [
            "id", "hotel", "name", "description", "photos", "capacity", "base_rate", "extra_adult_charge",
            "extra_child_charge", "currency", "size_sqm", "amenities",
        ]  # fmt: skip

    @extend_schema_field(CapacityOut)
    def get_capacity(self, room_type: RoomType) -> dict[str, int]:
        return {
            "max_adults": room_type.max_adults,
            "max_children": room_type.max_children,
            "base_occupancy": room_type.base_occupancy,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, room_type: RoomType) -> list[str]:
        return room_type.photo_urls


class HotelDetailOut(HotelOut):
    room_types = RoomTypeOut(many=True, read_only=True, source="live_room_types")
    amenities = serializers.SerializerMethodField()

    class Meta(HotelOut.Meta):
        fields = [*HotelOut.Meta.fields, "room_types", "amenities"]

    @extend_schema_field(AmenityOut(many=True))
    def get_amenities(self, hotel: Hotel) -> list[dict[str, Any]]:
        """Every amenity of any of its room types."""
        seen: dict[int, Amenity] = {}
        for room_type in hotel.live_room_types:  # type: ignore[attr-defined]
            for amenity in room_type.amenities.all():
                seen.setdefault(amenity.pk, amenity)
        return list(AmenityOut(sorted(seen.values(), key=lambda a: a.name), many=True).data)


class RoomTypeIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    photos = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=12)
    max_adults = serializers.IntegerField(min_value=1, max_value=MAX_PARTY, required=False)
    max_children = serializers.IntegerField(min_value=0, max_value=MAX_PARTY, required=False)
    base_occupancy = serializers.IntegerField(min_value=1, max_value=MAX_PARTY, required=False)
    base_rate = Money(min_value=0)
    extra_adult_charge = Money(min_value=0, required=False)
    extra_child_charge = Money(min_value=0, required=False)
    size_sqm = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True)
    amenities = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False)


class RoomOut(serializers.ModelSerializer):
    hotel: serializers.SlugRelatedField[Hotel] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    room_type_name = serializers.CharField(source="room_type.name", read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "hotel",
            "number",
            "floor",
            "room_type",
            "room_type_name",
            "in_service",
            "housekeeping",
            "notes",
        ]


class RoomCreateIn(serializers.Serializer):
    """One room (`number`) or many at once (`numbers`: '101-140' or '101, 105-110')."""

    room_type = serializers.IntegerField(min_value=1, max_value=2**62)
    number = serializers.RegexField(r"^[A-Za-z0-9-]{1,10}$", required=False)
    numbers = serializers.CharField(max_length=500, required=False)
    floor = serializers.IntegerField(min_value=-10, max_value=300, required=False)
    in_service = serializers.BooleanField(required=False, default=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("number" in attrs) == ("numbers" in attrs):
            raise serializers.ValidationError(_("Give either number or numbers (e.g. '101-140')."))
        return attrs


class RoomPatchIn(serializers.Serializer):
    number = serializers.RegexField(r"^[A-Za-z0-9-]{1,10}$", required=False)
    floor = serializers.IntegerField(min_value=-10, max_value=300, required=False)
    room_type = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    in_service = serializers.BooleanField(required=False)
    housekeeping = serializers.ChoiceField(choices=Room.Housekeeping.choices, required=False)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RateOut(serializers.ModelSerializer):
    price = Money(allow_null=True)
    adjustment = Money(allow_null=True)
    room_type_name = serializers.CharField(source="room_type.name", read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6))

    class Meta:
        model = RateOverride
        fields = [
            "id", "room_type", "room_type_name", "name", "starts_on", "ends_on", "weekdays", "price", "adjustment",
            "min_nights", "closed_to_arrival",
        ]  # fmt: skip


class RateIn(serializers.Serializer):
    """A price for some nights (`starts_on`..`ends_on`, both included), or an adjustment of the base rate."""

    room_type = serializers.IntegerField(min_value=1, max_value=2**62)
    name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, max_length=7,
        help_text="0 = Monday … 6 = Sunday; empty: every night.",
    )  # fmt: skip
    price = Money(min_value=0, required=False, allow_null=True)
    adjustment = Money(required=False, allow_null=True)
    min_nights = serializers.IntegerField(min_value=1, max_value=365, required=False)
    closed_to_arrival = serializers.BooleanField(required=False)


class RatePatchIn(RateIn):
    room_type = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class StaffUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()


class StaffOut(serializers.Serializer):
    user = StaffUserOut()
    roles = serializers.ListField(child=serializers.CharField(), help_text=f"Among: {', '.join(HOTEL_ROLES)}.")


class StaffIn(serializers.Serializer):
    user = serializers.CharField(max_length=254, help_text="The user's id or email.")
    role = serializers.ChoiceField(choices=HOTEL_ROLES)


# --- Availability ---------------------------------------------------------------------------


class AvailabilityQueryIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80)
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField(min_value=1, max_value=MAX_PARTY, default=1)
    children = serializers.IntegerField(min_value=0, max_value=MAX_PARTY, default=0)
    offer_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class AvailabilityNightOut(serializers.Serializer):
    date = serializers.DateField()
    base = Money()
    occupancy_charge = Money()
    override_applied = serializers.BooleanField()
    price = Money()


class AvailabilityRoomTypeOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    capacity = CapacityOut()
    photos = serializers.ListField(child=serializers.CharField())


class AppliedOfferOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)


class AvailabilityResultOut(serializers.Serializer):
    room_type = AvailabilityRoomTypeOut()
    rooms_left = serializers.IntegerField()
    bookable = serializers.BooleanField()
    restriction = serializers.CharField(allow_blank=True)
    nights = AvailabilityNightOut(many=True)
    subtotal = Money()
    discount = Money()
    taxes = Money()
    total = Money()
    currency = serializers.CharField()
    offer = AppliedOfferOut(allow_null=True)
    offer_note = serializers.CharField(allow_blank=True)


class AvailabilityOut(serializers.Serializer):
    hotel = serializers.SlugField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField()
    children = serializers.IntegerField()
    currency = serializers.CharField()
    results = AvailabilityResultOut(many=True)
