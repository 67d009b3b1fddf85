from django.urls import path

from apps.reviews import apis

app_name = "reviews"
urlpatterns = [
    path("hotels/<slug:slug>/reviews/", apis.HotelReviewListApi.as_view(), name="hotel-reviews"),
    path("reviews/", apis.ReviewListCreateApi.as_view(), name="list"),
    path("reviews/<int:review_id>/", apis.ReviewDetailApi.as_view(), name="detail"),
    path("reviews/<int:review_id>/response/", apis.ReviewResponseApi.as_view(), name="response"),
    path("reviews/<int:review_id>/hide/", apis.ReviewHideApi.as_view(), name="hide"),
    path("reviews/<int:review_id>/publish/", apis.ReviewPublishApi.as_view(), name="publish"),
]
