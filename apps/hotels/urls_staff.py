from django.urls import path

from apps.hotels import views

# The catalogue's back office pages, mounted by apps.staff.urls under its "staff" namespace.
urlpatterns = [
    path("hotels/<slug:slug>/", views.staff_hotel, name="hotel"),
    path("hotels/<slug:slug>/room-types/new/", views.staff_room_type_new, name="room-type-new"),
    path("hotels/<slug:slug>/rooms/new/", views.staff_rooms_new, name="rooms-new"),
    path("hotels/<slug:slug>/rates/new/", views.staff_rate_new, name="rate-new"),
    path("room-types/<int:room_type_id>/", views.staff_room_type_edit, name="room-type"),
    path("rooms/<int:room_id>/status/", views.staff_room_status, name="room-status"),
    path("rates/<int:rate_id>/", views.staff_rate_edit, name="rate"),
    path("rates/<int:rate_id>/delete/", views.staff_rate_delete, name="rate-delete"),
]
