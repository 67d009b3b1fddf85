from django.urls import path

from apps.calendars import views

app_name = "calendars"
urlpatterns = [
    path("calendars/<str:token>.ics", views.channel_export, name="export"),
    path("staff/hotels/<slug:slug>/channels/new/", views.staff_channel_new, name="staff-new"),
    path("staff/channels/<int:channel_id>/", views.staff_channel, name="staff-channel"),
    path("staff/channels/<int:channel_id>/sync/", views.staff_channel_sync, name="staff-sync"),
    path("staff/channels/<int:channel_id>/rotate/", views.staff_channel_rotate, name="staff-rotate"),
    path("staff/channels/<int:channel_id>/delete/", views.staff_channel_delete, name="staff-delete"),
]
