"""What the reviews app tells people, through the one notify service: the invite after check-out, and the
hotel's response. Called inside the review's own transaction; the push and the email follow its commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.reviews.models import Review


def _invite_context(notification: Notification) -> Mapping[str, Any]:
    return {"booking": Booking.all_objects.select_related("guest", "hotel").get(pk=notification.data["booking"])}


def _response_context(notification: Notification) -> Mapping[str, Any]:
    return {"review": Review.all_objects.select_related("author", "hotel").get(pk=notification.data["review"])}


KINDS = [
    NotificationKind(
        code="review_invite",
        label=_("An invitation to review your stay"),
        audience=Audience.GUEST,
        email_context=_invite_context,
    ),
    NotificationKind(
        code="review_response",
        label=_("The hotel responded to your review"),
        audience=Audience.GUEST,
        email_context=_response_context,
    ),
]


def register_kinds() -> None:
    register(*KINDS)


def notify_review_invite(*, booking: Booking) -> None:
    notify(
        user=booking.guest,
        kind="review_invite",
        title=format_lazy(_("How was your stay at {hotel}?"), hotel=booking.hotel.name),
        body=_("Tell other guests how it was: reviews are open for 90 days after check-out."),
        link=reverse("reviews:write", args=[booking.reference]),
        hotel=booking.hotel,
        data={"booking": booking.pk},
    )


def notify_review_response(*, review: Review) -> None:
    notify(
        user=review.author,
        kind="review_response",
        title=format_lazy(_("{hotel} responded to your review"), hotel=review.hotel.name),
        body=review.response_text[:300],
        link=reverse("hotels:detail", args=[review.hotel.slug]) + "#reviews",
        hotel=review.hotel,
        data={"review": review.pk},
    )
