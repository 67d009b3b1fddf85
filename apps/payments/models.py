"""Payments toward a booking and the provider events that moved them. The database keeps the money sums honest."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.core.models import MONEY, TimeStampedModel


class Payment(TimeStampedModel):
    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        CASH = "cash", _("Cash")
        CARD_TERMINAL = "card_terminal", _("Card terminal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")
        PARTLY_REFUNDED = "partly_refunded", _("Partly refunded")

    # Money that was taken: what counts as paid, whatever was refunded since.
    TAKEN_STATUSES = (Status.SUCCEEDED, Status.PARTLY_REFUNDED, Status.REFUNDED)
    DESK_METHODS = (Method.CASH, Method.CARD_TERMINAL)

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=16, choices=Method.choices)
    provider = models.CharField(max_length=32, help_text="Name of the provider module, e.g. simulated or desk.")
    provider_reference = models.CharField(max_length=100, help_text="The provider's id for this payment.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Running totals, kept under the payment's row lock: refunds requested and
    # not turned down (committed), and refunds the provider has paid out.
    refund_committed = models.DecimalField(**MONEY, default=0)
    refunded_amount = models.DecimalField(**MONEY, default=0)
    card_last4 = models.CharField(max_length=4, blank=True, help_text="The only card data we keep.")
    failure_message = models.CharField(max_length=200, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="payments_created"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
            # Refunds never exceed what was paid: the last word after the service's own check under lock.
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0)
                & Q(refunded_amount__lte=F("refund_committed"))
                & Q(refund_committed__lte=F("amount")),
                name="payments_refunds_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(refund_committed=0) | Q(status__in=["succeeded", "partly_refunded", "refunded"]),
                name="payments_refunds_only_of_taken_money",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["succeeded", "partly_refunded", "refunded"]) | Q(succeeded_at__isnull=False),
                name="payments_taken_has_time",
            ),
            models.CheckConstraint(condition=Q(card_last4__regex=r"^([0-9]{4})?$"), name="payments_card_last4_only"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payments_currency_code"),
            models.UniqueConstraint(fields=["provider", "provider_reference"], name="payments_provider_reference_once"),
        ]
        indexes = [models.Index(fields=["booking", "status"], name="payments_booking_status_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def refundable(self) -> Decimal:
        """What can still be asked back from this payment."""
        if self.status not in self.TAKEN_STATUSES:
            return Decimal("0.00")
        return self.amount - self.refund_committed


class WebhookEvent(TimeStampedModel):
    """One row per provider event ever accepted: a replayed event id finds its row and changes nothing."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=60)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    payload = models.JSONField(default=dict)
    outcome = models.CharField(max_length=60, blank=True, help_text="What the event did, for support.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="payments_webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"
