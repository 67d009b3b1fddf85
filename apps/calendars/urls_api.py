from django.urls import path

from apps.calendars import apis

app_name = "calendars"
urlpatterns = [
    path("hotels/<slug:slug>/channels/", apis.HotelChannelsApi.as_view(), name="hotel-channels"),
    path("channels/<int:channel_id>/", apis.ChannelDetailApi.as_view(), name="channel"),
    path("channels/<int:channel_id>/sync/", apis.ChannelSyncApi.as_view(), name="channel-sync"),
    path("channels/<int:channel_id>/rotate/", apis.ChannelRotateApi.as_view(), name="channel-rotate"),
]
