"""Shapes of the refunds API."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from apps.bookings.serializers import money_field
from apps.refunds.models import Refund


class RefundIn(serializers.Serializer):
    booking = serializers.CharField(max_length=10, help_text="Booking reference.")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DecisionIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class RefundOut(serializers.ModelSerializer):
    booking = serializers.CharField(source="booking.reference", read_only=True)
    hotel = serializers.CharField(source="booking.hotel.slug", read_only=True)
    payment = serializers.IntegerField(source="payment_id", read_only=True)
    amount = money_field()
    requested_by = PersonRef(read_only=True, allow_null=True)
    decided_by = PersonRef(read_only=True, allow_null=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "booking",
            "hotel",
            "payment",
            "amount",
            "currency",
            "reason",
            "source",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "refunded_at",
            "failure_message",
            "created_at",
        ]
        read_only_fields = fields


class RefundFiltersIn(serializers.Serializer):
    booking = serializers.CharField(max_length=10, required=False, help_text="Booking reference.")
    status = serializers.ChoiceField(choices=Refund.Status.choices, required=False)
