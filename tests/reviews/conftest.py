"""A hotel with a checked-out stay to review, its manager and desk, and API clients."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.accounts.tokens import tokens_for
from apps.bookings.models import Booking
from tests.bookings.conftest import SmallHotel, make_hotel
from tests.factories import CheckedOutBookingFactory, UserFactory


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
    return client


def staff(place: SmallHotel, role: str, capture: Any) -> Any:
    user = UserFactory()
    with capture(execute=True):
        object_role_grant(user=user, role=role, scope=place.hotel)
    return user


def stay(place: SmallHotel, guest: Any = None, **fields: Any) -> Booking:
    return CheckedOutBookingFactory(
        guest=guest or UserFactory(first_name="Gina", last_name="Guest"),
        hotel=place.hotel,
        room=place.rooms[0],
        room_type=place.room_type,
        **fields,
    )


@pytest.fixture
def place(db) -> SmallHotel:
    return make_hotel(rooms=2)


@pytest.fixture
def checked_out(place) -> Booking:
    return stay(place)


@pytest.fixture
def manager(place, django_capture_on_commit_callbacks):
    return staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)


@pytest.fixture
def desk(place, django_capture_on_commit_callbacks):
    return staff(place, FRONT_DESK, django_capture_on_commit_callbacks)
