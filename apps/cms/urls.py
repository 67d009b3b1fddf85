from django.urls import path

from apps.cms import views

app_name = "cms"
urlpatterns = [
    path("pages/<slug:slug>/", views.page_detail, name="page"),
]
