from django.urls import path

from apps.payments import apis

app_name = "payments"
urlpatterns = [
    path("bookings/<str:reference>/payments/", apis.BookingPaymentCreateApi.as_view(), name="booking-payments"),
    path("payments/", apis.PaymentListApi.as_view(), name="list"),
    path("payments/<int:payment_id>/", apis.PaymentDetailApi.as_view(), name="detail"),
    path("payments/webhook/<str:provider>/", apis.PaymentWebhookApi.as_view(), name="webhook"),
]
