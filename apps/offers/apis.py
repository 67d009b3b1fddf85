"""offers/ and offers/{id}/: public reads of live offers, staff CRUD scoped to their hotels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import user_has_perm, user_has_perm_anywhere
from apps.core.errors import PermissionDenied
from apps.core.parsing import parse_input
from apps.hotels import selectors as hotel_selectors
from apps.hotels.apis import CONFLICT, CatalogueReadMixin, plain, require_anywhere
from apps.hotels.cache import cached
from apps.offers import selectors, services
from apps.offers.serializers import OfferIn, OfferOut, OfferPatchIn, OfferQueryIn, StaffOfferOut

# The detail answers each caller in its own shape: the offer's staff see its usage, everyone else the public view.
OFFER_FOR_CALLER = PolymorphicProxySerializer(
    component_name="OfferForCaller",
    serializers=[OfferOut, StaffOfferOut],
    resource_type_field_name="view",
)


class OfferListApi(CatalogueReadMixin, ListAPIView):
    serializer_class = OfferOut

    def get_queryset(self):  # type: ignore[no-untyped-def]
        slug = parse_input(OfferQueryIn, self.request.query_params.dict()).get("hotel")
        hotel = hotel_selectors.hotel_get(slug=slug) if slug else None
        return selectors.offer_list_public(hotel=hotel)

    @extend_schema(tags=["offers"], summary="Active public offers", parameters=[OfferQueryIn])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.cached_list(request, "offers", lambda: self.list(request, *args, **kwargs))

    @extend_schema(
        tags=["offers"],
        request=OfferIn,
        responses={201: StaffOfferOut, 409: CONFLICT},
        summary="Create an offer (staff)",
    )
    def post(self, request: Request) -> Response:
        require_anywhere(request.user, "offers.add_offer")
        data = parse_input(OfferIn, request.data)
        slug = data.pop("hotel", None)
        if slug:
            hotel = hotel_selectors.staff_hotel_get(user=request.user, perm="offers.add_offer", slug=slug)
        elif user_has_perm(request.user, "offers.add_offer"):
            hotel = None  # chain-wide: only for those who hold the right everywhere
        else:
            raise PermissionDenied(_("Only administrators create offers for every hotel; name your hotel."))
        offer = services.offer_create(hotel=hotel, **data)
        offer = selectors.staff_offer_get(user=request.user, perm="offers.add_offer", offer_id=offer.pk)
        return Response(StaffOfferOut(offer).data, status=status.HTTP_201_CREATED)


class OfferDetailApi(CatalogueReadMixin, APIView):
    @extend_schema(
        tags=["offers"],
        responses={200: OFFER_FOR_CALLER},
        summary="One offer: public if live; staff see their hotels' offers in any state",
    )
    def get(self, request: Request, offer_id: int) -> Response:
        if request.user.is_authenticated and user_has_perm_anywhere(request.user, "offers.view_offer"):
            found = selectors.staff_offers(user=request.user, perm="offers.view_offer").filter(pk=offer_id).first()
            if found is not None and offer_id < 2**63:
                return Response(StaffOfferOut(found).data)
        return Response(
            cached(f"offer:{offer_id}", lambda: plain(OfferOut(selectors.offer_get_public(offer_id=offer_id)).data))
        )

    @extend_schema(
        tags=["offers"], request=OfferPatchIn, responses={200: StaffOfferOut, 409: CONFLICT}, summary="Change an offer"
    )
    def patch(self, request: Request, offer_id: int) -> Response:
        require_anywhere(request.user, "offers.change_offer")
        offer = selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer_id)
        offer = services.offer_update(offer=offer, **parse_input(OfferPatchIn, request.data))
        offer = selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer.pk)
        return Response(StaffOfferOut(offer).data)

    @extend_schema(tags=["offers"], responses={204: None}, summary="Remove an offer")
    def delete(self, request: Request, offer_id: int) -> Response:
        require_anywhere(request.user, "offers.delete_offer")
        services.offer_delete(
            offer=selectors.staff_offer_get(user=request.user, perm="offers.delete_offer", offer_id=offer_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
