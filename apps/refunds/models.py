"""Refunds: money going back through the payment it came from, after someone with the right approved it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.core.models import MONEY, TimeStampedModel
from apps.payments.models import Payment


class Refund(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PROCESSING = "processing", _("Processing")
        REFUNDED = "refunded", _("Refunded")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        GUEST = "guest", _("Asked by the guest")
        STAFF = "staff", _("Asked by staff")
        CANCELLATION = "cancellation", _("Proposed by the cancellation policy")
        AUTOMATIC = "automatic", _("Automatic (payment no longer needed)")

    # Refunds that hold part of their payment: everything but a rejection or a failure.
    COMMITTED_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.PROCESSING, Status.REFUNDED)
    PENDING_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.PROCESSING)

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.GUEST)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds_requested",
        help_text="Empty when the system asked (a payment no longer needed).",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failure_message = models.CharField(max_length=200, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_refund", "Can approve or reject refunds")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refunds_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False), name="refunds_decision_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="refunded") | Q(refunded_at__isnull=False), name="refunds_refunded_has_time"
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="refunds_currency_code"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="refunds_due_attempt_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"
