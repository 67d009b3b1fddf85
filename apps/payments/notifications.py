"""The guest's receipt for each payment taken (email, HTML and text, after commit)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.core.emails import send_templated_email
from apps.payments.models import Payment


def notify_payment_receipt(*, payment_id: int) -> None:
    payment = Payment.objects.select_related("booking", "booking__guest", "booking__hotel").get(pk=payment_id)
    booking = payment.booking
    send_templated_email(
        to=[booking.guest.email],
        subject=f"Receipt for your payment: {booking.reference}",
        template="payment_receipt",
        context={
            "payment": payment,
            "booking": booking,
            "link": settings.SITE_URL + reverse("payments:receipt", args=[payment.pk]),
        },
    )
