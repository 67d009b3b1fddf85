"""Telling the guest: an email for each step of the stay (HTML and text), sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from apps.bookings.models import Booking
from apps.core.emails import deliver_email, render_email

SUBJECTS = {
    "held": "Your room is on hold: {reference}",
    "confirmed": "Booking confirmed: {reference}",
    "cancelled": "Booking cancelled: {reference}",
    "dates_changed": "New dates for your booking {reference}",
    "expired": "Your hold has expired: {reference}",
    "checked_out": "Thank you for staying with us: {reference}",
}


def notify_guest(*, booking_id: int, event: str) -> None:
    """Queues the guest's email for `event` (called after commit): one row for the worker, which
    loads the booking and renders the email, so the request that made the change never waits on it."""
    email_guest.enqueue(booking_id=booking_id, event=event)


@task()
def email_guest(*, booking_id: int, event: str) -> int:
    booking = (
        Booking.all_objects.select_related("guest", "hotel", "room_type")
        .prefetch_related("night_lines")
        .get(pk=booking_id)
    )
    text, html = render_email(
        template=f"booking_{event}",
        context={"booking": booking, "link": f"{settings.SITE_URL}/bookings/{booking.reference}/"},
    )
    subject = SUBJECTS[event].format(reference=booking.reference)
    return deliver_email(to=[booking.guest.email], subject=subject, text=text, html=html)
