"""reviews/ and hotels/{slug}/reviews/ of the API contract: thin views over the review services and selectors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.requests import signed_in_user
from apps.bookings.selectors import booking_get_for_user
from apps.core.parsing import parse_input
from apps.hotels.selectors import hotel_get
from apps.reviews import selectors, services
from apps.reviews.models import Review
from apps.reviews.serializers import (
    HotelReviewOut,
    ReviewCreateIn,
    ReviewFiltersIn,
    ReviewHideIn,
    ReviewOut,
    ReviewPatchIn,
    ReviewResponseIn,
)

TAGS = ["reviews"]
EDIT_CLOSED = OpenApiResponse(description="The hotel has responded: the review can no longer change (invalid_state).")


def _fresh(request: Request, review: Review) -> dict[str, Any]:
    return ReviewOut(selectors.review_get_for_user(user=request.user, review_id=review.pk)).data


class HotelReviewListApi(ListAPIView):
    """Public: the hotel's published reviews, newest first."""

    permission_classes = [AllowAny]
    serializer_class = HotelReviewOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return selectors.hotel_reviews_public(hotel=hotel_get(slug=self.kwargs["slug"]))

    @extend_schema(tags=TAGS, summary="A hotel's published reviews, newest first (public)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ReviewListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ReviewOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = parse_input(ReviewFiltersIn, self.request.query_params)
        return selectors.review_list_for_user(
            user=self.request.user,
            hotel=wanted.get("hotel"),
            status=wanted.get("status"),
            unanswered=wanted.get("unanswered"),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[ReviewFiltersIn],
        summary="Reviews: your own in any state, and staff: those of the hotels where they respond or moderate",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        request=ReviewCreateIn,
        responses={
            201: ReviewOut,
            403: OpenApiResponse(description="Not your stay, not checked out, or past the 90 days."),
            409: OpenApiResponse(description="This stay already has a review (conflict)."),
        },
        summary="Review your checked-out stay (once per booking, within 90 days of check-out)",
    )
    def post(self, request: Request) -> Response:
        data = parse_input(ReviewCreateIn, request.data)
        booking = booking_get_for_user(user=request.user, reference=data["booking"])
        review = services.review_create(
            author=signed_in_user(request),
            booking=booking,
            rating=data["rating"],
            ratings=data.get("ratings"),
            title=data["title"],
            text=data["text"],
        )
        return Response(_fresh(request, review), status=status.HTTP_201_CREATED)


class ReviewDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: ReviewOut}, summary="One review (its author, or the hotel's staff)")
    def get(self, request: Request, review_id: int) -> Response:
        return Response(ReviewOut(selectors.review_get_for_user(user=request.user, review_id=review_id)).data)

    @extend_schema(
        tags=TAGS,
        request=ReviewPatchIn,
        responses={200: ReviewOut, 409: EDIT_CLOSED},
        summary="Change your review (until the hotel has responded)",
    )
    def patch(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        data = parse_input(ReviewPatchIn, request.data)
        review = services.review_update(
            review=review,
            author=signed_in_user(request),
            rating=data.get("rating", services.UNSET),
            ratings=data.get("ratings"),
            title=data.get("title"),
            text=data.get("text"),
        )
        return Response(_fresh(request, review))

    @extend_schema(
        tags=TAGS, responses={204: None, 409: EDIT_CLOSED}, summary="Delete your review (until the hotel has responded)"
    )
    def delete(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        services.review_delete(review=review, author=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewResponseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=ReviewResponseIn,
        responses={200: ReviewOut, 201: ReviewOut},
        summary="The hotel's public response (staff with the respond right there): 201 written, 200 changed",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        first = not review.has_response
        review = services.review_respond(
            review=review, responder=signed_in_user(request), text=parse_input(ReviewResponseIn, request.data)["text"]
        )
        return Response(_fresh(request, review), status=status.HTTP_201_CREATED if first else status.HTTP_200_OK)


class ReviewHideApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=ReviewHideIn,
        responses={200: ReviewOut, 409: OpenApiResponse(description="Already hidden (invalid_state).")},
        summary="Hide a review with a reason (the hotel's manager): it leaves the public list and the averages",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        review = services.review_hide(
            review=review, moderator=signed_in_user(request), reason=parse_input(ReviewHideIn, request.data)["reason"]
        )
        return Response(_fresh(request, review))


class ReviewPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: ReviewOut, 409: OpenApiResponse(description="Already published (invalid_state).")},
        summary="Publish a hidden review again (the hotel's manager)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        return Response(_fresh(request, services.review_publish(review=review, moderator=signed_in_user(request))))
