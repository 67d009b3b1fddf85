"""What the payments app tells the guest: a receipt for each payment taken, a note when a card is declined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.core.templatetags.l10n_money import format_money
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
        label=_("Receipts for your payments"),
        audience=Audience.GUEST,
        always_email=True,
        email_context=_payment_context,
    ),
    NotificationKind(
        code="payment_failed",
        label=_("A payment did not go through"),
        audience=Audience.GUEST,
        email_context=_payment_context,
    ),
]


def register_kinds() -> None:
    register(*KINDS)


# The amount in the language the notification is read in (each recipient's own).
money_lazy = lazy(format_money, str)


def payment_notify(*, payment: Payment, booking: Booking, event: str) -> None:
    """Inside the payment's transaction: `received` (the receipt) or `failed` (a declined card)."""
    amount = money_lazy(payment.amount, payment.currency)
    if event == "received":
        notify(
            user=booking.guest,
            kind="payment_received",
            title=format_lazy(_("Receipt for your payment: {reference}"), reference=booking.reference),
            body=format_lazy(
                _("We received {amount} for your stay at {hotel}."), amount=amount, hotel=booking.hotel.name
            ),
            link=reverse("payments:receipt", args=[payment.pk]),
            hotel=booking.hotel,
            data={"payment": payment.pk, "booking": booking.pk},
        )
    elif event == "failed":
        notify(
            user=booking.guest,
            kind="payment_failed",
            title=format_lazy(_("Your payment did not go through: {reference}"), reference=booking.reference),
            # The provider's words; ours (the simulated provider's, a bare decline) in the reader's language.
            body=_(payment.failure_message)
            if payment.failure_message
            else format_lazy(_("The payment of {amount} was declined."), amount=amount),
            link=f"/bookings/{booking.reference}/",
            hotel=booking.hotel,
            data={"payment": payment.pk, "booking": booking.pk},
        )
    else:
        raise ValueError(f"Unknown payment event {event!r}.")
