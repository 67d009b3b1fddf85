"""Shapes of the payments API. Money is a two-place string beside its currency."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from apps.bookings.serializers import money_field
from apps.payments.models import Payment


class PaymentIn(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=Payment.Method.choices, help_text="online for everyone; cash and card_terminal for staff at the desk."
    )
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text="Defaults to the balance due.",
    )


class PaymentOut(serializers.ModelSerializer):
    booking = serializers.CharField(source="booking.reference", read_only=True)
    hotel = serializers.CharField(source="booking.hotel.slug", read_only=True)
    amount = money_field()
    refunded_amount = money_field(help_text="Paid back so far.")
    refundable = money_field(help_text="What a new refund request may still ask from this payment.")

    class Meta:
        model = Payment
        fields = [
            "id",
            "booking",
            "hotel",
            "amount",
            "currency",
            "method",
            "provider",
            "status",
            "refunded_amount",
            "refundable",
            "card_last4",
            "failure_message",
            "created_at",
            "succeeded_at",
        ]
        read_only_fields = fields


class PaymentCreatedOut(PaymentOut):
    redirect_url = serializers.CharField(
        allow_null=True, help_text="Online payments: the provider's page where the guest pays. Desk payments: null."
    )

    class Meta(PaymentOut.Meta):
        fields = [*PaymentOut.Meta.fields, "redirect_url"]
        read_only_fields = fields


class PaymentFiltersIn(serializers.Serializer):
    booking = serializers.CharField(max_length=10, required=False, help_text="Booking reference.")
    status = serializers.ChoiceField(choices=Payment.Status.choices, required=False)


class WebhookEventIn(serializers.Serializer):
    """The provider's event; the body is verified byte for byte against the signature header before parsing."""

    id = serializers.CharField(help_text="Unique event id; a replay of one changes nothing.")
    type = serializers.ChoiceField(choices=["payment.succeeded", "payment.failed"])
    created = serializers.IntegerField()
    data = serializers.DictField()  # type: ignore[assignment]  # the provider's name; DRF keeps .data the output


class WebhookOut(serializers.Serializer):
    received = serializers.BooleanField()
    replayed = serializers.BooleanField(help_text="True when this event id was already processed: nothing changed.")
    outcome = serializers.CharField()
