"""Telling the guest: an email for each step of the stay (HTML and text), sent after commit."""

from __future__ import annotations

from django.conf import settings

from apps.bookings.models import Booking
from apps.core.emails import send_templated_email

SUBJECTS = {
    "held": "Your room is on hold: {reference}",
    "confirmed": "Booking confirmed: {reference}",
    "cancelled": "Booking cancelled: {reference}",
    "dates_changed": "New dates for your booking {reference}",
    "expired": "Your hold has expired: {reference}",
    "checked_out": "Thank you for staying with us: {reference}",
}


def notify_guest(*, booking_id: int, event: str) -> None:
    booking = (
        Booking.all_objects.select_related("guest", "hotel", "room_type")
        .prefetch_related("night_lines")
        .get(pk=booking_id)
    )
    send_templated_email(
        to=[booking.guest.email],
        subject=SUBJECTS[event].format(reference=booking.reference),
        template=f"booking_{event}",
        context={"booking": booking, "link": f"{settings.SITE_URL}/bookings/{booking.reference}/"},
    )
