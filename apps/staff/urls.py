"""/staff/: the back office. The catalogue's staff pages (apps.hotels) join under the same namespace."""

from django.urls import path

from apps.hotels.urls_staff import urlpatterns as catalogue
from apps.staff import views

app_name = "staff"
HOTEL = "hotels/<slug:slug>/"
BOOKING = "bookings/<str:reference>/"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path(HOTEL + "arrivals/", views.arrivals, name="arrivals"),
    path(HOTEL + "departures/", views.departures, name="departures"),
    path(HOTEL + "in-house/", views.in_house, name="in-house"),
    path(HOTEL + "find/", views.find, name="find"),
    path(HOTEL + "board/", views.board, name="board"),
    path(HOTEL + "blocks/", views.block_new, name="block-new"),
    path(HOTEL + "housekeeping/", views.housekeeping, name="housekeeping"),
    path(HOTEL + "staff/", views.grants, name="grants"),
    path(HOTEL + "staff/revoke/", views.grant_revoke, name="grant-revoke"),
    path(BOOKING + "check-in/", views.check_in, name="check-in"),
    path(BOOKING + "check-out/", views.check_out, name="check-out"),
    path(BOOKING + "no-show/", views.no_show, name="no-show"),
    path(BOOKING + "move/", views.move, name="move"),
    path("blocks/<int:block_id>/delete/", views.block_delete, name="block-delete"),
    path("rooms/<int:room_id>/housekeeping/", views.housekeeping_set, name="housekeeping-set"),
    *catalogue,
]
