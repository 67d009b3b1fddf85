"""Telling the guest about reviews: the invite after check-out and the hotel's response (email, after commit)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.bookings.models import Booking
from apps.core.emails import send_templated_email
from apps.reviews.models import Review


def notify_review_invite(*, booking_id: int) -> None:
    booking = Booking.objects.select_related("guest", "hotel").get(pk=booking_id)
    send_templated_email(
        to=[booking.guest.email],
        subject=f"How was your stay at {booking.hotel.name}?",
        template="review_invite",
        context={"booking": booking, "link": settings.SITE_URL + reverse("reviews:write", args=[booking.reference])},
    )


def notify_review_response(*, review_id: int) -> None:
    review = Review.objects.select_related("author", "hotel", "booking").get(pk=review_id)
    send_templated_email(
        to=[review.author.email],
        subject=f"{review.hotel.name} responded to your review",
        template="review_response",
        context={
            "review": review,
            "link": settings.SITE_URL + reverse("hotels:detail", args=[review.hotel.slug]) + "#reviews",
        },
    )
