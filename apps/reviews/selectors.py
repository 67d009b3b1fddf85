"""Reads of reviews: the public list of a hotel, a guest's own, staff's for their hotels, and who may review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import effective_permissions
from apps.bookings.models import Booking
from apps.core.errors import NotFound
from apps.hotels.models import Hotel
from apps.hotels.stays import hotel_today
from apps.reviews.models import CATEGORIES, Review

RESPOND = "reviews.respond_review"
MODERATE = "reviews.moderate_review"
REVIEW_WINDOW = timedelta(days=90)
PUBLIC_FIELDS = (
    "hotel_id", "author_id", "rating", *CATEGORIES, "title", "text", "stay_month", "status", "created_at",
    "response_text", "responded_at",
)  # fmt: skip


def _valid_id(pk: int) -> bool:
    return 0 < pk < 2**63


def hotel_reviews_public(*, hotel: Hotel) -> QuerySet[Review]:
    """A hotel's published reviews, newest first, with what the public list shows (one query a page)."""
    return (
        Review.objects.filter(hotel=hotel, status=Review.Status.PUBLISHED)
        .select_related("author")
        # Only what the public list shows: the author's row is wide, and its name is all we show of it.
        .only(*PUBLIC_FIELDS, "author__first_name", "author__last_name")
        .order_by("-created_at", "-pk")
    )


def staff_review_hotel_ids(*, user: Any) -> set[int] | None:
    """The hotels where the user may respond to or moderate reviews; None: every hotel."""
    permissions = effective_permissions(user)
    if permissions.has(RESPOND) or permissions.has(MODERATE):
        return None
    ids = permissions.object_ids_with(RESPOND, "hotels.hotel") | permissions.object_ids_with(MODERATE, "hotels.hotel")
    return {int(pk) for pk in ids}


def review_list_for_user(
    *,
    user: Any,
    hotel: str | None = None,
    status: str | None = None,
    unanswered: bool | None = None,
    staff_only: bool = False,
) -> QuerySet[Review]:
    """The user's own reviews (any state) and those of the hotels where they respond or moderate."""
    reviews = Review.objects.select_related("author", "booking", "hotel", "response_by", "hidden_by")
    hotel_ids = staff_review_hotel_ids(user=user)
    if hotel_ids is None:
        scope = Q()
    else:
        scope = Q(hotel_id__in=hotel_ids)
        if not staff_only:
            scope |= Q(author=user)
    reviews = reviews.filter(scope)
    if hotel:
        reviews = reviews.filter(hotel__slug=hotel)
    if status:
        reviews = reviews.filter(status=status)
    if unanswered is not None:
        reviews = reviews.filter(responded_at__isnull=unanswered)
    return reviews.order_by("-created_at", "-pk")


def review_get_for_user(*, user: Any, review_id: int) -> Review:
    """404 unless the user wrote it or works with reviews at its hotel."""
    review = review_list_for_user(user=user).filter(pk=review_id).first() if _valid_id(review_id) else None
    if review is None:
        raise NotFound(_("There is no such review."))
    return review


# --- Who may review which stay ----------------------------------------------------------------


def checked_out_on(booking: Booking) -> date:
    """The day the guest left, at the hotel: the check-out instant when the desk recorded it, else the date."""
    if booking.checked_out_at is not None:
        return booking.checked_out_at.astimezone(booking.hotel.zone).date()
    return booking.check_out


def review_refusal(*, booking: Booking, user: Any, today: date | None = None) -> str:
    """Why `user` may not review `booking` now (empty: they may). The existing review is checked apart."""
    if booking.guest_id != user.pk:
        return _("Only the guest who stayed can review this stay.")
    if booking.status != Booking.Status.CHECKED_OUT:
        return _("You can review a stay once you have checked out.")
    today = today or hotel_today(booking.hotel)
    if today > checked_out_on(booking) + REVIEW_WINDOW:
        return _("Reviews are open for %(days)s days after check-out.") % {"days": REVIEW_WINDOW.days}
    return ""


@dataclass(frozen=True)
class StayReview:
    """What My bookings shows for one stay: the review written, or whether one may be written."""

    booking: Booking
    review: Review | None
    may_review: bool


def stay_reviews(*, user: Any, bookings: Iterable[Booking]) -> dict[int, StayReview]:
    """For the guest's own bookings, their review or the invitation to write one, in one query."""
    own = [booking for booking in bookings if booking.guest_id == user.pk]
    if not own:
        return {}
    written = {
        review.booking_id: review
        for review in Review.objects.filter(booking__in=[b.pk for b in own], author=user).order_by("created_at")
    }
    found = {}
    for booking in own:
        review = written.get(booking.pk)
        may = review is None and not review_refusal(booking=booking, user=user)
        if review is not None or may:
            found[booking.pk] = StayReview(booking=booking, review=review, may_review=may)
    return found
