"""Schemathesis on the catalogue operations with real data behind them and an administrator's token.

The project-wide fuzz (tests/test_schema_fuzz.py) meets an empty database and
mostly 404s; here the path parameters point at real demo hotels, room types,
rooms, rates and offers, so bodies reach the services: still no 5xx, and every
response matches the schema.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from apps.accounts.models import User
from apps.accounts.tokens import tokens_for
from apps.hotels.demo import seed_catalogue
from apps.hotels.models import Hotel, RateOverride, Room, RoomType
from apps.hotels.stays import hotel_today
from apps.offers.models import Offer
from hbs.wsgi import application
from tests.test_schema_fuzz import keep_test_connection  # noqa: F401 (fixture)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(
    path_regex=r"^/api/v1/(hotels|room-types|rooms|rates|amenities|availability|offers)"
)


@pytest.fixture
def admin_token(db) -> str:
    admin = User.objects.create_superuser(email="fuzz-admin@hbs.test", password="fuzz-password-2026")
    seed_catalogue(users={})
    return tokens_for(admin)["access"]


def _real_path_parameters(case) -> None:
    real = {
        "slug": "harbour-view-lisbon",
        "room_type_id": RoomType.all_objects.order_by("pk").values_list("pk", flat=True).first(),
        "room_id": Room.all_objects.order_by("pk").values_list("pk", flat=True).first(),
        "rate_id": RateOverride.all_objects.order_by("pk").values_list("pk", flat=True).first(),
        "offer_id": Offer.all_objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    for name in list(case.path_parameters or {}):
        if name in real and real[name] is not None:
            case.path_parameters[name] = real[name]


@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_catalogue_operation_with_real_objects_conforms(case, admin_token):
    _real_path_parameters(case)
    # Rejection of bad input is the project-wide fuzz's job: with a token always
    # sent, schemathesis would count "no session cookie" as bad input accepted.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    start=st.integers(-3, 600),
    nights=st.integers(0, 35),
    adults=st.integers(0, 5),
    children=st.integers(0, 4),
    offer_code=st.sampled_from([None, "WELCOME10", "welcome10", "NOPE"]),
)
def test_availability_answers_200_or_400_and_its_money_adds_up(demo_hotel, start, nights, adults, children, offer_code):
    check_in = hotel_today(demo_hotel) + timedelta(days=start)
    query = {
        "hotel": demo_hotel.slug,
        "check_in": check_in,
        "check_out": check_in + timedelta(days=nights),
        "adults": adults,
        "children": children,
    }
    if offer_code:
        query["offer_code"] = offer_code
    response = APIClient().get("/api/v1/availability/", query)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["error"]["code"] in ("validation_error", "invalid_offer")
        return
    for row in response.json()["results"]:
        nights_sum = sum(Decimal(night["price"]) for night in row["nights"])
        assert Decimal(row["subtotal"]) == nights_sum and len(row["nights"]) == nights
        assert Decimal(row["total"]) == nights_sum - Decimal(row["discount"]) + Decimal(row["taxes"])
        assert row["currency"] == "EUR" and Decimal(row["total"]) >= 0
        if offer_code in ("WELCOME10", "welcome10"):
            assert Decimal(row["discount"]) == (nights_sum / 10).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture
def demo_hotel(db):
    seed_catalogue(users={})
    return Hotel.objects.get(slug="harbour-view-lisbon")
