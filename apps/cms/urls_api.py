from django.urls import path

from apps.cms import apis

app_name = "cms"
urlpatterns = [
    path("pages/", apis.ContentPageListApi.as_view(), name="list"),
    path("pages/<slug:slug>/", apis.ContentPageDetailApi.as_view(), name="detail"),
]
