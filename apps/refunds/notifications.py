"""Telling the guest what happened to their refund (email, HTML and text, after commit)."""

from __future__ import annotations

from django.conf import settings

from apps.core.emails import send_templated_email
from apps.refunds.models import Refund

SUBJECTS = {
    "approved": "Your refund is approved: {reference}",
    "rejected": "About your refund request: {reference}",
    "refunded": "Your refund is on its way: {reference}",
    "automatic": "We are returning your payment: {reference}",
}


def notify_refund(*, refund_id: int, event: str) -> None:
    refund = Refund.objects.select_related("booking", "booking__guest", "booking__hotel", "payment").get(pk=refund_id)
    booking = refund.booking
    send_templated_email(
        to=[booking.guest.email],
        subject=SUBJECTS[event].format(reference=booking.reference),
        template=f"refund_{event}",
        context={"refund": refund, "booking": booking, "link": f"{settings.SITE_URL}/bookings/{booking.reference}/"},
    )
