from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
]
