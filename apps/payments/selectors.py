"""Reads of payments, scoped: a guest sees the payments of their own bookings, staff those of their hotels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import effective_permissions
from apps.bookings.models import Booking
from apps.core.errors import NotFound
from apps.payments.models import Payment
from apps.payments.providers import online_payments_enabled

VIEW = "payments.view_payment"
ZERO = Decimal("0.00")
# The stays money may be taken for; the desk may also settle a checked-out guest's balance.
PAYABLE = (Booking.Status.HELD, Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN)
DESK_PAYABLE = (*PAYABLE, Booking.Status.CHECKED_OUT)


def payable_problem(*, booking: Booking, now: datetime | None = None, desk: bool = False) -> str | None:
    """Why no payment may be taken for this booking now (None: it may). The one rule for pages, API and services."""
    if booking.status not in (DESK_PAYABLE if desk else PAYABLE):
        return _("This booking cannot be paid (status: %(status)s).") % {"status": booking.get_status_display()}
    expires = booking.hold_expires_at
    if (
        not desk
        and booking.status == Booking.Status.HELD
        and expires is not None
        and expires <= (now or timezone.now())
    ):
        return _("The hold on this booking has expired; please book again.")
    return None


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


def can_pay_online(*, booking: Booking, balance: Balance | None = None, now: datetime | None = None) -> bool:
    """An online payment can be started for this booking now: a provider is configured, the booking is payable
    and something is due. Pages offer the button on this answer; payment_start_online enforces the same rule."""
    if not online_payments_enabled() or payable_problem(booking=booking, now=now):
        return False
    return (balance or booking_balance(booking=booking)).due > 0


def refundable_amount(*, booking: Booking) -> Decimal:
    """What the guest has paid less what went back or is on its way back: the most a new refund may be."""
    return booking_balance(booking=booking).refundable


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
        raise NotFound(_("There is no such payment."))
    return payment


def payment_get_by_checkout(*, provider: str, token: str) -> Payment:
    """The payment behind a hosted checkout page; the unguessable token is the key."""
    payment = _base().filter(provider=provider, provider_reference=token, method=Payment.Method.ONLINE).first()
    if payment is None:
        raise NotFound(_("This payment link is not valid."))
    return payment
