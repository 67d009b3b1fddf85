"""The hotel page: its room types, and with dates what is free and what it costs (the booking engine's)."""

from django.urls import path

from apps.bookings import views

app_name = "hotels"
urlpatterns = [
    path("<slug:slug>/", views.hotel_detail, name="detail"),
]
