"""Offers: atomic redemption under concurrency, codes unique whatever their case, the database's limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.errors import ValidationFailed
from apps.hotels.pricing import InvalidOffer
from apps.offers.models import Offer
from apps.offers.services import offer_create, offer_redeem
from tests.concurrency import kinds, race
from tests.factories import HotelFactory, OfferFactory, RoomTypeFactory


@pytest.mark.django_db
def test_redeem_counts_each_use_and_refuses_past_the_limit():
    offer = OfferFactory(usage_limit=2)
    offer_redeem(offer=offer)
    assert offer_redeem(offer=offer).times_used == 2
    with pytest.raises(InvalidOffer, match="fully used"):
        offer_redeem(offer=offer)
    assert Offer.objects.get(pk=offer.pk).times_used == 2


@pytest.mark.django_db
def test_the_database_refuses_a_count_past_the_limit_whoever_writes_it():
    offer = OfferFactory(usage_limit=1, times_used=1)
    with pytest.raises(IntegrityError, match="offers_offer_usage_within_limit"), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(times_used=2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_exceed_the_usage_limit():
    limit, contenders = 3, 12
    offer = OfferFactory(usage_limit=limit)
    outcomes = kinds(
        race([lambda: offer_redeem(offer=Offer.objects.get(pk=offer.pk))] * contenders, expected=(InvalidOffer,))
    )
    assert outcomes.count("ok") == limit
    assert outcomes.count("invalid_offer") == contenders - limit
    assert Offer.objects.get(pk=offer.pk).times_used == limit


@pytest.mark.django_db
def test_codes_are_unique_whatever_their_case_among_live_offers():
    hotel = HotelFactory()
    first = offer_create(hotel=hotel, name="Welcome", code="welcome10", value=Decimal("10"))
    assert first.code == "WELCOME10"
    with pytest.raises(ValidationFailed):
        offer_create(hotel=hotel, name="Again", code="Welcome10", value=Decimal("5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(hotel=hotel, name="Raw", code="WeLcOmE10", value=Decimal("5"))
    first.delete()
    assert offer_create(hotel=hotel, name="Again", code="welcome10", value=Decimal("5")).code == "WELCOME10"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "percent", "value": Decimal("120")}, "non_field_errors"),
        ({"kind": "fixed", "value": Decimal("20"), "hotel": None}, "non_field_errors"),
        ({"value": Decimal("10"), "min_nights": 0}, "non_field_errors"),
    ],
)
def test_offer_rules_are_400s_before_they_reach_the_database(fields, field):
    hotel = fields.pop("hotel", HotelFactory())
    with pytest.raises(ValidationFailed) as caught:
        offer_create(hotel=hotel, name="Bad", **fields)
    assert field in caught.value.fields


@pytest.mark.django_db
def test_an_offer_names_only_room_types_of_its_hotel():
    hotel = HotelFactory()
    other = RoomTypeFactory()
    with pytest.raises(ValidationFailed) as caught:
        offer_create(hotel=hotel, name="X", value=Decimal("5"), room_types=[other.pk])
    assert "room_types" in caught.value.fields


@pytest.mark.django_db
def test_redeeming_a_limited_offer_refreshes_the_public_list(django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    offer = OfferFactory(usage_limit=2)
    client = APIClient()
    assert client.get("/api/v1/offers/").json()["results"][0]["uses_left"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        offer_redeem(offer=offer)
    assert client.get("/api/v1/offers/").json()["results"][0]["uses_left"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        offer_redeem(offer=offer)
    assert client.get("/api/v1/offers/").json()["results"] == []
