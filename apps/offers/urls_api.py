from django.urls import path

from apps.offers import apis

urlpatterns = [
    path("offers/", apis.OfferListApi.as_view(), name="offers"),
    path("offers/<int:offer_id>/", apis.OfferDetailApi.as_view(), name="offer"),
]
