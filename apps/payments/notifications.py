"""What the payments app tells the guest: a receipt for each payment taken, a note when a card is declined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.bookings.models import Booking
from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.payments.models import Payment


def _payment_context(notification: Notification) -> Mapping[str, Any]:
    payment = Payment.objects.select_related("booking", "booking__guest", "booking__hotel").get(
        pk=notification.data["payment"]
    )
    return {"payment": payment, "booking": payment.booking}


KINDS = [
    NotificationKind(
        code="payment_received",
        label=gettext_lazy("Receipts for your payments"),
        audience=Audience.GUEST,
        always_email=True,
        email_context=_payment_context,
    ),
    NotificationKind(
        code="payment_failed",
        label=gettext_lazy("A payment did not go through"),
        audience=Audience.GUEST,
        email_context=_payment_context,
    ),
]


def register_kinds() -> None:
    register(*KINDS)


def payment_notify(*, payment: Payment, booking: Booking, event: str) -> None:
    """Inside the payment's transaction: `received` (the receipt) or `failed` (a declined card)."""
    amount = f"{payment.amount:.2f} {payment.currency}"
    if event == "received":
        notify(
            user=booking.guest,
            kind="payment_received",
            title=f"Receipt for your payment: {booking.reference}",
            body=f"We received {amount} for your stay at {booking.hotel.name}.",
            link=reverse("payments:receipt", args=[payment.pk]),
            hotel=booking.hotel,
            data={"payment": payment.pk, "booking": booking.pk},
        )
    elif event == "failed":
        notify(
            user=booking.guest,
            kind="payment_failed",
            title=f"Your payment did not go through: {booking.reference}",
            body=payment.failure_message or f"The payment of {amount} was declined.",
            link=f"/bookings/{booking.reference}/",
            hotel=booking.hotel,
            data={"payment": payment.pk, "booking": booking.pk},
        )
    else:
        raise ValueError(f"Unknown payment event {event!r}.")
