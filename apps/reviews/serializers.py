"""Shapes of the reviews API. Component names are unique across the project (OpenAPI)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.reviews.models import REASON_LIMIT, TEXT_LIMIT, TITLE_LIMIT, Review


def _score(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=5, **kwargs)


class ReviewRatingsIn(serializers.Serializer):
    """Category ratings, each a whole number from 1 to 5, or null to leave it out."""

    cleanliness = _score(required=False, allow_null=True)
    comfort = _score(required=False, allow_null=True)
    location = _score(required=False, allow_null=True)
    staff = _score(required=False, allow_null=True)
    value = _score(required=False, allow_null=True)


class ReviewRatingsOut(serializers.Serializer):
    cleanliness = _score(allow_null=True)
    comfort = _score(allow_null=True)
    location = _score(allow_null=True)
    staff = _score(allow_null=True)
    value = _score(allow_null=True)


class ReviewCreateIn(serializers.Serializer):
    booking = serializers.CharField(max_length=10, help_text="The reference of your checked-out stay.")
    rating = _score(help_text="Overall, a whole number from 1 to 5.")
    ratings = ReviewRatingsIn(required=False)
    title = serializers.CharField(max_length=TITLE_LIMIT, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=TEXT_LIMIT)


class ReviewPatchIn(serializers.Serializer):
    rating = _score(required=False)
    ratings = ReviewRatingsIn(required=False)
    title = serializers.CharField(max_length=TITLE_LIMIT, required=False, allow_blank=True)
    text = serializers.CharField(max_length=TEXT_LIMIT, required=False)


class ReviewResponseIn(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_LIMIT)


class ReviewHideIn(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_LIMIT, help_text="Shown to the review's author.")


class ReviewFiltersIn(serializers.Serializer):
    # Empty values are accepted as "no filter", as a form sends them.
    hotel = serializers.SlugField(max_length=80, required=False, allow_blank=True, help_text="A hotel's slug.")
    status = serializers.ChoiceField(choices=Review.Status.choices, required=False, allow_blank=True)
    unanswered = serializers.BooleanField(required=False, allow_null=True, default=None)


class HotelResponseOut(serializers.Serializer):
    text = serializers.CharField(source="response_text")
    created_at = serializers.DateTimeField(source="responded_at")


class _ReviewFields(serializers.Serializer):
    id = serializers.IntegerField()
    rating = _score()
    ratings = ReviewRatingsOut()
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    author_name = serializers.CharField(help_text="First name and initial.")
    stay_month = serializers.SerializerMethodField(help_text="The month the stay began, YYYY-MM.")
    created_at = serializers.DateTimeField()
    response = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-05"})
    def get_stay_month(self, review: Review) -> str:
        return review.stay_month.strftime("%Y-%m")

    @extend_schema_field(HotelResponseOut(allow_null=True))
    def get_response(self, review: Review) -> dict[str, Any] | None:
        return HotelResponseOut(review).data if review.has_response else None


class HotelReviewOut(_ReviewFields):
    """A published review as everyone sees it on the hotel's page."""


class ReviewOut(_ReviewFields):
    """A review as its author or the hotel's staff see it: with its state, and the reason when hidden."""

    hotel = serializers.CharField(source="hotel.slug")
    booking = serializers.CharField(source="booking.reference")
    status = serializers.ChoiceField(choices=Review.Status.choices)
    hidden_reason = serializers.CharField(allow_blank=True)
    hidden_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    editable = serializers.SerializerMethodField(help_text="The author may still edit or delete it (no response yet).")

    def get_editable(self, review: Review) -> bool:
        return not review.has_response
