from django.urls import path

from apps.reviews import views

app_name = "reviews"
urlpatterns = [
    path("hotels/<slug:slug>/reviews/", views.hotel_reviews, name="hotel"),
    path("bookings/<str:reference>/review/", views.review_write, name="write"),
    path("reviews/<int:review_id>/edit/", views.review_edit, name="edit"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="delete"),
    path("staff/reviews/", views.staff_reviews, name="staff"),
    path("staff/reviews/<int:review_id>/respond/", views.staff_review_respond, name="staff-respond"),
    path("staff/reviews/<int:review_id>/hide/", views.staff_review_hide, name="staff-hide"),
    path("staff/reviews/<int:review_id>/publish/", views.staff_review_publish, name="staff-publish"),
]
