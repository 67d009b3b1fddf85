from django.urls import path

from apps.refunds import apis

app_name = "refunds"
urlpatterns = [
    path("refunds/", apis.RefundListCreateApi.as_view(), name="list"),
    path("refunds/<int:refund_id>/", apis.RefundDetailApi.as_view(), name="detail"),
    path("refunds/<int:refund_id>/approve/", apis.RefundApproveApi.as_view(), name="approve"),
    path("refunds/<int:refund_id>/reject/", apis.RefundRejectApi.as_view(), name="reject"),
]
