from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all/", views.notification_read_all, name="read-all"),
    path("notifications/preferences/", views.notification_preferences, name="preferences"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="read"),
]
