from django.urls import path

from apps.payments import views

app_name = "payments"
urlpatterns = [
    path("bookings/<str:reference>/pay/", views.pay_online, name="pay-online"),
    path("pay/sim/<str:token>/", views.simulated_page, name="simulated-page"),
    path("payments/<int:payment_id>/receipt/", views.receipt, name="receipt"),
    path("staff/bookings/<str:reference>/payments/", views.desk_payment, name="desk"),
]
