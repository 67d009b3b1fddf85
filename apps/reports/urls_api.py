from django.urls import path

from apps.reports import apis

urlpatterns = [
    path("reports/occupancy/", apis.OccupancyReportApi.as_view(), name="occupancy-report"),
]
