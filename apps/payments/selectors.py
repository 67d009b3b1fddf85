"""Reads of payments, scoped: a guest sees the payments of their own bookings, staff those of their hotels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from apps.accounts.permissions import effective_permissions
from apps.bookings.models import Booking
from apps.core.errors import NotFound
from apps.payments.models import Payment

VIEW = "payments.view_payment"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    total: Decimal  # the booking's frozen price
    paid: Decimal  # money taken, whatever was refunded since
    refunded: Decimal  # paid back by the provider
    pending_refunds: Decimal  # requested, approved or processing
    refundable: Decimal  # paid - refunded - pending: the most a new refund may be
    due: Decimal  # still to pay for the stay
    currency: str


def booking_balance(*, booking: Booking) -> Balance:
    """The booking's money from its payments' running totals (kept under their row locks)."""
    sums = Payment.objects.filter(booking_id=booking.pk, status__in=Payment.TAKEN_STATUSES).aggregate(
        paid=Sum("amount"), committed=Sum("refund_committed"), refunded=Sum("refunded_amount")
    )
    paid = sums["paid"] or ZERO
    committed = sums["committed"] or ZERO
    refunded = sums["refunded"] or ZERO
    return Balance(
        total=booking.total,
        paid=paid,
        refunded=refunded,
        pending_refunds=committed - refunded,
        refundable=paid - committed,
        due=max(booking.total - paid, ZERO),
        currency=booking.currency,
    )


def _base() -> QuerySet[Payment]:
    return Payment.objects.select_related("booking", "booking__hotel", "booking__guest", "created_by")


def payment_list_for_user(*, user: Any, booking: Booking | None = None) -> QuerySet[Payment]:
    """Payments of the user's own bookings, plus every payment at hotels where they may view payments."""
    permissions = effective_permissions(user)
    payments = _base()
    if not permissions.has(VIEW):
        hotel_ids = [int(pk) for pk in permissions.object_ids_with(VIEW, "hotels.hotel")]
        payments = payments.filter(Q(booking__guest=user) | Q(booking__hotel_id__in=hotel_ids))
    if booking is not None:
        payments = payments.filter(booking=booking)
    return payments.order_by("-created_at", "-pk")


def payment_get_for_user(*, user: Any, payment_id: int) -> Payment:
    """404 for a payment the user may not see, as if it did not exist."""
    payment = payment_list_for_user(user=user).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("There is no such payment.")
    return payment


def payment_get_by_checkout(*, provider: str, token: str) -> Payment:
    """The payment behind a hosted checkout page; the unguessable token is the key."""
    payment = _base().filter(provider=provider, provider_reference=token, method=Payment.Method.ONLINE).first()
    if payment is None:
        raise NotFound("This payment link is not valid.")
    return payment
