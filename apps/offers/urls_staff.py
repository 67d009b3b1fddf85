from django.urls import path

from apps.offers import views

app_name = "offers"
urlpatterns = [
    path("hotels/<slug:slug>/offers/new/", views.staff_offer_new, name="staff-new"),
    path("offers/<int:offer_id>/", views.staff_offer_edit, name="staff-edit"),
    path("offers/<int:offer_id>/toggle/", views.staff_offer_toggle, name="staff-toggle"),
]
