from django.urls import path

from apps.bookings import apis

app_name = "bookings"
REF = "bookings/<str:reference>/"
urlpatterns = [
    path("availability/", apis.AvailabilityApi.as_view(), name="availability"),
    path("bookings/", apis.BookingListCreateApi.as_view(), name="list"),
    path(REF, apis.BookingDetailApi.as_view(), name="detail"),
    path(REF + "confirm/", apis.BookingConfirmApi.as_view(), name="confirm"),
    path(REF + "cancellation/", apis.BookingCancellationTermsApi.as_view(), name="cancellation"),
    path(REF + "cancel/", apis.BookingCancelApi.as_view(), name="cancel"),
    path(REF + "change-dates/", apis.BookingChangeDatesApi.as_view(), name="change-dates"),
    path(REF + "check-in/", apis.BookingCheckInApi.as_view(), name="check-in"),
    path(REF + "check-out/", apis.BookingCheckOutApi.as_view(), name="check-out"),
    path(REF + "no-show/", apis.BookingNoShowApi.as_view(), name="no-show"),
    path(REF + "assign-room/", apis.BookingAssignRoomApi.as_view(), name="assign-room"),
    path(REF + "history/", apis.BookingHistoryApi.as_view(), name="history"),
    path("rooms/<int:room_id>/blocks/", apis.RoomBlocksApi.as_view(), name="room-blocks"),
    path("blocks/<int:block_id>/", apis.RoomBlockDetailApi.as_view(), name="block"),
]
