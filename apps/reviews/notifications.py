"""What the reviews app tells people, through the one notify service: the invite after check-out, and the
hotel's response. Called inside the review's own transaction; the push and the email follow its commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.core.emails import recipient_language
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
        label=cast(str, _("An invitation to review your stay")),
        audience=Audience.GUEST,
        email_context=_invite_context,
    ),
    NotificationKind(
        code="review_response",
        label=cast(str, _("The hotel responded to your review")),
        audience=Audience.GUEST,
        email_context=_response_context,
    ),
]


def register_kinds() -> None:
    register(*KINDS)


def _in_language_of(user: Any) -> translation.override:
    """The guest is the one recipient: their title (and email subject) in their language."""
    return translation.override(recipient_language(getattr(user, "preferred_language", "")))


def notify_review_invite(*, booking: Booking) -> None:
    with _in_language_of(booking.guest):
        notify(
            user=booking.guest,
            kind="review_invite",
            title=cast(str, format_lazy(_("How was your stay at {hotel}?"), hotel=booking.hotel.name)),
            body=cast(str, _("Tell other guests how it was: reviews are open for 90 days after check-out.")),
            link=reverse("reviews:write", args=[booking.reference]),
            hotel=booking.hotel,
            data={"booking": booking.pk},
        )


def notify_review_response(*, review: Review) -> None:
    with _in_language_of(review.author):
        notify(
            user=review.author,
            kind="review_response",
            title=cast(str, format_lazy(_("{hotel} responded to your review"), hotel=review.hotel.name)),
            body=review.response_text[:300],
            link=reverse("hotels:detail", args=[review.hotel.slug]) + "#reviews",
            hotel=review.hotel,
            data={"review": review.pk},
        )
