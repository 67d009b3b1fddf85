from django.urls import path

from apps.refunds import views

app_name = "refunds"
urlpatterns = [
    path("bookings/<str:reference>/refund/", views.refund_request, name="request"),
    path("staff/refunds/", views.refund_queue, name="queue"),
    path("staff/refunds/<int:refund_id>/approve/", views.refund_approve, name="approve"),
    path("staff/refunds/<int:refund_id>/reject/", views.refund_reject, name="reject"),
]
