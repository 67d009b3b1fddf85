"""Review row locks: the hotel first (its figures), then the review (hotel → … → booking → review)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.hotels.models import Hotel
from apps.reviews.models import Review


def lock_hotel(pk: int) -> Hotel:
    """The hotel, locked: every write that can move its figures queues here, so each recount sees the last one."""
    hotel = Hotel.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if hotel is None:
        raise NotFound(_("There is no such hotel."))
    return hotel


def lock_review(pk: int) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("author", "booking", "hotel")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise NotFound(_("There is no such review."))
    return review
