"""Guest booking pages; `/book/?hotel=…` is the entry the search results link to."""

from django.urls import path

from apps.bookings import views

app_name = "bookings"
urlpatterns = [
    path("book/", views.book, name="book"),
    path("bookings/", views.booking_list, name="list"),
    path("bookings/<str:reference>/", views.booking_detail, name="detail"),
    path("bookings/<str:reference>/confirm/", views.booking_confirm_at_hotel, name="confirm"),
    path("bookings/<str:reference>/confirmed/", views.booking_confirmed, name="confirmed"),
    path("bookings/<str:reference>/cancel/", views.booking_cancel_page, name="cancel"),
    path("bookings/<str:reference>/change-dates/", views.booking_change_dates_page, name="change-dates"),
]
