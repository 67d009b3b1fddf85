from django.urls import path

from apps.hotels import apis

urlpatterns = [
    path("hotels/", apis.HotelListApi.as_view(), name="hotels"),
    path("hotels/<slug:slug>/", apis.HotelDetailApi.as_view(), name="hotel"),
    path("hotels/<slug:slug>/room-types/", apis.HotelRoomTypesApi.as_view(), name="hotel-room-types"),
    path("hotels/<slug:slug>/rooms/", apis.HotelRoomsApi.as_view(), name="hotel-rooms"),
    path("hotels/<slug:slug>/rates/", apis.HotelRatesApi.as_view(), name="hotel-rates"),
    path("hotels/<slug:slug>/staff/", apis.HotelStaffApi.as_view(), name="hotel-staff"),
    path("room-types/<int:room_type_id>/", apis.RoomTypeDetailApi.as_view(), name="room-type"),
    path("rooms/<int:room_id>/", apis.RoomDetailApi.as_view(), name="room"),
    path("rates/<int:rate_id>/", apis.RateDetailApi.as_view(), name="rate"),
    path("amenities/", apis.AmenityListApi.as_view(), name="amenities"),
]
