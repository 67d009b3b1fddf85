from django.urls import path

from apps.hotels import views

app_name = "hotels"
urlpatterns = [
    path("<slug:slug>/", views.hotel_detail, name="detail"),
]
