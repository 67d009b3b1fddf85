from django.conf import settings
from django.urls import path

from apps.payments import views
from apps.payments.providers import simulated

app_name = "payments"
urlpatterns = [
    path("bookings/<str:reference>/pay/", views.pay_online, name="pay-online"),
    path("payments/<int:payment_id>/receipt/", views.receipt, name="receipt"),
    path("staff/bookings/<str:reference>/payments/", views.desk_payment, name="desk"),
]
# The test-card page exists only where the simulated provider is the online one (never in production,
# unless a demo site says so out loud: see hbs/settings/production.py).
if settings.PAYMENT_ONLINE_PROVIDER == simulated.NAME:
    urlpatterns.append(path("pay/sim/<str:token>/", views.simulated_page, name="simulated-page"))
