"""Review writes: the guest's review of a checked-out stay, the hotel's response, and moderation.

Every write that can move the hotel's figures (create, edit, delete, hide,
publish) locks the hotel first, then the review, and recounts the figures
from the published reviews in the same transaction: they can never drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm
from apps.bookings.models import Booking
from apps.core.errors import Conflict, FieldErrors, InvalidState, PermissionDenied, ValidationFailed
from apps.hotels.models import Hotel
from apps.reviews.lock_objects import lock_hotel, lock_review
from apps.reviews.models import CATEGORIES, REASON_LIMIT, TEXT_LIMIT, TITLE_LIMIT, Review, ReviewInvite
from apps.reviews.notifications import notify_review_invite, notify_review_response
from apps.reviews.selectors import MODERATE, RESPOND, checked_out_on, review_refusal

TENTH = Decimal("0.1")
# Stays checked out longer ago than this when the invite job first sees them get no invite
# (a first run after deployment must not email every stay of the last 90 days).
INVITE_LOOKBACK = timedelta(days=3)
INVITE_BATCH = 500


class _Unset:
    pass


UNSET: Any = _Unset()


# --- The hotel's figures --------------------------------------------------------------------------


def _average(total: int | None, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class HotelFigures:
    rating: Decimal | None
    review_count: int
    categories: dict[str, Decimal | None]


def hotel_figures_recount(*, hotel_id: int) -> HotelFigures:
    """The figures as the published reviews say now, in one aggregate query."""
    sums: dict[str, Any] = {"count": Count("pk"), "total": Sum("rating")}
    for name in CATEGORIES:
        sums[f"{name}_count"] = Count(name)
        sums[f"{name}_total"] = Sum(name)
    found = Review.objects.filter(hotel_id=hotel_id, status=Review.Status.PUBLISHED).aggregate(**sums)
    return HotelFigures(
        rating=_average(found["total"], found["count"]),
        review_count=found["count"],
        categories={name: _average(found[f"{name}_total"], found[f"{name}_count"]) for name in CATEGORIES},
    )


def _refresh_figures(hotel: Hotel) -> Hotel:
    """Called with the hotel locked, after the review change: the recount goes on the hotel row."""
    figures = hotel_figures_recount(hotel_id=hotel.pk)
    hotel.rating = figures.rating
    hotel.review_count = figures.review_count
    for name, value in figures.categories.items():
        setattr(hotel, f"rating_{name}", value)
    # Saving the hotel also forgets the cached catalogue after commit: pages show the new figures, and the
    # hotel's new updated_at is a new version of its reviews section (apps.reviews.fragments).
    hotel.save(update_fields=["rating", "review_count", *(f"rating_{name}" for name in CATEGORIES), "updated_at"])
    return hotel


def _touch(hotel: Hotel) -> None:
    """Called with the hotel locked, after a change the public list shows but the figures do not."""
    hotel.save(update_fields=["updated_at"])


# --- Checks ------------------------------------------------------------------------------------------


def _check_content(
    *, rating: Any, ratings: Mapping[str, Any] | None, title: str | None, text: str | None, creating: bool
) -> None:
    fields: FieldErrors = {}
    given = creating or rating is not UNSET
    if given and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        fields["rating"] = [_("A rating is a whole number from 1 to 5.")]
    for name, value in (ratings or {}).items():
        if name not in CATEGORIES:
            fields.setdefault("ratings", []).append(
                _("%(name)s is not a category (%(categories)s).")
                % {"name": repr(name), "categories": ", ".join(CATEGORIES)}
            )
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5):
            fields.setdefault("ratings", []).append(
                _("%(name)s: a whole number from 1 to 5, or empty.") % {"name": name}
            )
    if title is not None and len(title) > TITLE_LIMIT:
        fields["title"] = [_("A title is at most %(limit)s characters.") % {"limit": TITLE_LIMIT}]
    if creating or text is not None:
        if not (text or "").strip():
            fields["text"] = [_("Tell other guests about your stay.")]
        elif len(text or "") > TEXT_LIMIT:
            fields["text"] = [
                _("A review is at most %(limit)s characters (%(given)s given).")
                % {
                    "limit": number_format(TEXT_LIMIT, force_grouping=True),
                    "given": number_format(len(text or ""), force_grouping=True),
                }
            ]
    if fields:
        raise ValidationFailed(_("Some parts of the review are not valid."), fields=fields)


def _check_author(review: Review, author: User) -> None:
    if review.author_id != author.pk:
        raise PermissionDenied(_("Only the guest who wrote this review can change it."))
    if review.has_response:
        raise InvalidState(_("The hotel has responded to this review: it can no longer be changed."))


# --- The guest's side ---------------------------------------------------------------------------------


def review_create(
    *,
    author: User,
    booking: Booking,
    rating: int,
    text: str,
    ratings: Mapping[str, int | None] | None = None,
    title: str = "",
    now: datetime | None = None,
) -> Review:
    """The booking's guest reviews a checked-out stay, within 90 days of check-out, once per booking."""
    now = now or timezone.now()
    refusal = review_refusal(booking=booking, user=author, today=now.astimezone(booking.hotel.zone).date())
    if refusal:
        raise PermissionDenied(refusal)
    title, text = (title or "").strip(), (text or "").strip()
    _check_content(rating=rating, ratings=ratings, title=title, text=text, creating=True)
    with transaction.atomic():
        hotel = lock_hotel(booking.hotel_id)
        if Review.objects.filter(booking=booking).exists():
            raise Conflict(_("This stay already has a review: edit it instead."))
        review = Review(
            booking=booking,
            hotel=hotel,
            author=author,
            rating=rating,
            title=title,
            text=text,
            stay_month=booking.check_in.replace(day=1),
            **{name: (ratings or {}).get(name) for name in CATEGORIES},
        )
        try:
            with transaction.atomic():
                review.save(force_insert=True)
        except IntegrityError as error:  # a second review racing this one: the unique constraint said no
            raise Conflict(_("This stay already has a review: edit it instead.")) from error
        _refresh_figures(hotel)
    return review


def review_update(
    *,
    review: Review,
    author: User,
    rating: Any = UNSET,
    ratings: Mapping[str, int | None] | None = None,
    title: str | None = None,
    text: str | None = None,
) -> Review:
    """The author changes their review, until the hotel has responded to it."""
    title = title.strip() if title is not None else None
    text = text.strip() if text is not None else None
    _check_content(rating=rating, ratings=ratings, title=title, text=text, creating=False)
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = lock_review(review.pk)
        _check_author(review, author)
        changed = []
        if rating is not UNSET:
            review.rating = rating
            changed.append("rating")
        for name, value in (ratings or {}).items():
            setattr(review, name, value)
            changed.append(name)
        if title is not None:
            review.title = title
            changed.append("title")
        if text is not None:
            review.text = text
            changed.append("text")
        if changed:
            review.save(update_fields=[*changed, "updated_at"])
            _refresh_figures(hotel)
    return review


def review_delete(*, review: Review, author: User) -> None:
    """The author removes their review (a soft delete), until the hotel has responded to it."""
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = lock_review(review.pk)
        _check_author(review, author)
        review.delete()
        _refresh_figures(hotel)


def review_restore(*, review: Review) -> Review:
    """An admin brings back a deleted review (unless its stay has another one by now)."""
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = Review.all_objects.select_for_update(of=("self",)).get(pk=review.pk)
        if not review.is_deleted:
            return review
        if Review.objects.filter(booking_id=review.booking_id).exists():
            raise Conflict(_("This stay has another review now: the deleted one cannot come back."))
        review.restore()
        _refresh_figures(hotel)
    return review


# --- The hotel's side ----------------------------------------------------------------------------------


def review_respond(*, review: Review, responder: User, text: str, now: datetime | None = None) -> Review:
    """Staff with the respond right at the hotel write its one public response, or change it."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not user_has_perm(responder, RESPOND, review.hotel):
        raise PermissionDenied(_("Only the hotel's managers can respond to its reviews."))
    if not text:
        raise ValidationFailed(_("Write the response first."), fields={"text": [_("Write the response first.")]})
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            fields={
                "text": [
                    _("A response is at most %(limit)s characters.")
                    % {"limit": number_format(TEXT_LIMIT, force_grouping=True)}
                ]
            }
        )
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = lock_review(review.pk)
        first = not review.has_response
        review.response_text = text
        review.response_by = responder
        if first:
            review.responded_at = now
        review.response_updated_at = now
        review.save(update_fields=["response_text", "response_by", "responded_at", "response_updated_at", "updated_at"])
        # The public list shows responses: a new version of the hotel's reviews (apps.reviews.fragments).
        _touch(hotel)
        if first:
            notify_review_response(review=review)
    return review


def _check_moderator(review: Review, moderator: User) -> None:
    if not user_has_perm(moderator, MODERATE, review.hotel):
        raise PermissionDenied(_("Only the hotel's manager can hide or publish its reviews."))


def review_hide(*, review: Review, moderator: User, reason: str, now: datetime | None = None) -> Review:
    """The manager hides a review with a reason: it leaves the public list and every average."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    _check_moderator(review, moderator)
    if not reason:
        raise ValidationFailed(
            _("Say why the review is hidden."), fields={"reason": [_("Say why the review is hidden.")]}
        )
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            fields={"reason": [_("A reason is at most %(limit)s characters.") % {"limit": REASON_LIMIT}]}
        )
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = lock_review(review.pk)
        if review.status == Review.Status.HIDDEN:
            raise InvalidState(_("This review is already hidden."))
        review.status = Review.Status.HIDDEN
        review.hidden_reason = reason
        review.hidden_at = now
        review.hidden_by = moderator
        review.save(update_fields=["status", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])
        _refresh_figures(hotel)
    return review


def review_publish(*, review: Review, moderator: User) -> Review:
    """The manager publishes a hidden review again: back in the list and the averages."""
    _check_moderator(review, moderator)
    with transaction.atomic():
        hotel = lock_hotel(review.hotel_id)
        review = lock_review(review.pk)
        if review.status == Review.Status.PUBLISHED:
            raise InvalidState(_("This review is already published."))
        review.status = Review.Status.PUBLISHED
        review.hidden_reason = ""
        review.hidden_at = None
        review.hidden_by = None
        review.save(update_fields=["status", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])
        _refresh_figures(hotel)
    return review


# --- The invite -----------------------------------------------------------------------------------------


def review_send_invites(*, now: datetime | None = None) -> int:
    """The periodic job: each stay checked out recently, not yet invited nor reviewed, gets one invite.

    The invite row (one per booking, unique) is written before the email is
    queued, in one transaction per stay: a run that overlaps another, or runs
    again, finds the row and sends nothing twice.
    """
    now = now or timezone.now()
    candidates = list(
        Booking.objects.filter(
            status=Booking.Status.CHECKED_OUT,
            checked_out_at__gte=now - INVITE_LOOKBACK,
            checked_out_at__lte=now,
            review_invite__isnull=True,
        )
        .exclude(reviews__is_deleted=False)
        .select_related("hotel", "guest")
        .order_by("checked_out_at")[:INVITE_BATCH]
    )
    sent = 0
    for booking in candidates:
        if now.astimezone(booking.hotel.zone).date() > checked_out_on(booking) + timedelta(days=90):
            continue
        with transaction.atomic():
            _invite, created = ReviewInvite.objects.get_or_create(booking=booking, defaults={"sent_at": now})
            if created:
                notify_review_invite(booking=booking)
                sent += 1
    return sent
