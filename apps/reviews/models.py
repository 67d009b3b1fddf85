"""Guests' reviews of their stays, the hotel's public response, moderation, and the invite after check-out.

The database holds what it can: one live review per booking, ratings from 1 to 5,
a text of at most 5,000 characters, a hidden review has its reason, a response
has its time. Who may write what, and when, is the services' rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.bookings.models import Booking
from apps.core.models import SoftDeleteModel, TimeStampedModel
from apps.hotels.models import Hotel

TEXT_LIMIT = 5000
TITLE_LIMIT = 120
REASON_LIMIT = 500
CATEGORIES = Hotel.RATING_CATEGORIES  # cleanliness, comfort, location, staff, value
# What guests and staff read for each category (the API keeps the names above).
CATEGORY_LABELS = {
    "cleanliness": pgettext_lazy("rating category", "Cleanliness"),
    "comfort": pgettext_lazy("rating category", "Comfort"),
    "location": pgettext_lazy("rating category", "Location"),
    "staff": pgettext_lazy("rating category", "Staff"),
    "value": pgettext_lazy("rating category", "Value"),
}


def _score(name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True, help_text=f"{name.title()}, 1 to 5 (optional).")


class Review(SoftDeleteModel):
    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("review status", "Published")
        HIDDEN = "hidden", pgettext_lazy("review status", "Hidden by the hotel")

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="reviews")
    # hotel and author repeat the booking's, so the public list and the scoping need no join.
    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(help_text="Overall, 1 to 5.")
    cleanliness = _score("cleanliness")
    comfort = _score("comfort")
    location = _score("location")
    staff = _score("staff")
    value = _score("value")
    title = models.CharField(max_length=TITLE_LIMIT, blank=True)
    text = models.TextField()
    stay_month = models.DateField(help_text="The first day of the month the stay began (shown as May 2026).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    hidden_reason = models.CharField(max_length=REASON_LIMIT, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_text = models.TextField(blank=True)
    response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("respond_review", "Can write the hotel's public response to a review"),
            ("moderate_review", "Can hide a review or publish it again"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(is_deleted=False),
                name="reviews_one_live_review_per_booking",
                violation_error_message=_("This stay already has a review."),
            ),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="reviews_rating_1_to_5"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"reviews_{name}_1_to_5",
                )
                for name in CATEGORIES
            ),
            models.CheckConstraint(condition=LessThanOrEqual(Length("text"), TEXT_LIMIT), name="reviews_text_limit"),
            models.CheckConstraint(condition=GreaterThan(Length("text"), 0), name="reviews_text_not_empty"),
            models.CheckConstraint(
                condition=Q(status="published") | (Q(hidden_at__isnull=False) & ~Q(hidden_reason="")),
                name="reviews_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(responded_at__isnull=True) & Q(response_text=""))
                | (Q(responded_at__isnull=False) & ~Q(response_text="")),
                name="reviews_response_has_time",
            ),
        ]
        indexes = [
            # The hotel page: the hotel's published reviews, newest first.
            models.Index(
                fields=["hotel", "-created_at", "-id"],
                name="reviews_published_by_hotel",
                condition=Q(status="published", is_deleted=False),
            ),
            models.Index(fields=["hotel", "responded_at"], name="reviews_hotel_answered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.hotel_id} ({self.get_status_display()})"

    @property
    def ratings(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in CATEGORIES}

    @property
    def has_response(self) -> bool:
        return self.responded_at is not None

    @property
    def author_name(self) -> str:
        """First name and initial ("Gina G."): enough to be a person, not enough to be found."""
        first = (self.author.first_name or "").strip() or str(_("A guest"))
        last = (self.author.last_name or "").strip()
        return f"{first} {last[0]}." if last else first


class ReviewInvite(TimeStampedModel):
    """One invite per stay: the row is what makes the periodic job idempotent."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="review_invite")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"invite for {self.booking_id}"
