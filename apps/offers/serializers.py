"""Input and output shapes of the offers API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.hotels.models import Hotel
from apps.hotels.serializers import Money
from apps.offers.models import Offer


class OfferOut(serializers.ModelSerializer):
    """An offer as anyone sees it: what it gives and when, not how often it was used."""

    view = serializers.SerializerMethodField(help_text="Always public: the shape everyone gets.")
    hotel: serializers.SlugRelatedField[Hotel] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    value = Money()
    currency = serializers.SerializerMethodField()
    uses_left = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id", "hotel", "name", "description", "code", "kind", "value", "currency", "stay_starts_on",
            "stay_ends_on", "bookable_from", "bookable_until", "min_nights", "room_types", "uses_left", "is_active",
            "is_public", "view",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=[("public", "public")]))
    def get_view(self, offer: Offer) -> str:
        return "public"

    def get_currency(self, offer: Offer) -> str | None:
        """The currency of a fixed amount (the hotel's); null for a percentage."""
        return offer.hotel.currency if offer.kind == Offer.Kind.FIXED and offer.hotel else None


class StaffOfferOut(OfferOut):
    """An offer as the staff who manage it see it: with its usage limit and count."""

    view = serializers.SerializerMethodField(help_text="Always staff: the shape the offer's staff get.")

    class Meta(OfferOut.Meta):
        fields = [*OfferOut.Meta.fields, "usage_limit", "times_used"]

    @extend_schema_field(serializers.ChoiceField(choices=[("staff", "staff")]))
    def get_view(self, offer: Offer) -> str:
        return "staff"


class OfferQueryIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, required=False, help_text="Only offers valid at this hotel.")


class OfferIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, required=False, allow_null=True, help_text="Empty: every hotel.")
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    code = serializers.RegexField(r"^[A-Za-z0-9_-]{3,32}$", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Offer.Kind.choices, required=False)
    value = Money(min_value=0)
    stay_starts_on = serializers.DateField(required=False, allow_null=True)
    stay_ends_on = serializers.DateField(required=False, allow_null=True)
    bookable_from = serializers.DateTimeField(required=False, allow_null=True)
    bookable_until = serializers.DateTimeField(required=False, allow_null=True)
    min_nights = serializers.IntegerField(min_value=1, max_value=365, required=False)
    room_types = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False)
    usage_limit = serializers.IntegerField(min_value=1, max_value=2_000_000_000, required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    is_public = serializers.BooleanField(required=False)


class OfferPatchIn(OfferIn):
    hotel = None  # type: ignore[assignment]  # an offer does not move between hotels

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)
