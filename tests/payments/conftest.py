"""A held booking to pay, signed webhooks as the simulated provider sends them, and staff of the hotel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.roles import ACCOUNTANT, FRONT_DESK, HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.bookings.models import Booking
from apps.bookings.services import booking_create
from apps.payments.models import Payment
from apps.payments.providers import PAYMENT_SUCCEEDED
from apps.payments.providers import simulated as sim
from apps.payments.services import payment_start_online
from tests.bookings.conftest import SmallHotel, commit, make_hotel  # noqa: F401  (commit: a fixture)
from tests.factories import UserFactory

WEBHOOK = "/api/v1/payments/webhook/simulated/"


def hold(place: SmallHotel, guest: Any = None, first: int = 0, last: int = 2) -> Booking:
    return booking_create(
        guest=guest or UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(first),
        check_out=place.day(last),
        adults=2,
    )


def staff(place: SmallHotel, role: str, capture: Callable[..., Any]) -> Any:
    user = UserFactory()
    with capture(execute=True):
        object_role_grant(user=user, role=role, scope=place.hotel)
    return user


def signed(payment: Payment, kind: str = PAYMENT_SUCCEEDED, **kwargs: Any) -> tuple[bytes, str]:
    body = sim.event_body(payment=payment, kind=kind, card_last4="4242", **kwargs)
    return body, sim.signature_header(body=body)


def post_webhook(body: bytes, header: str | None) -> Any:
    extra = {"HTTP_HBS_SIGNATURE": header} if header is not None else {}
    return APIClient().post(WEBHOOK, data=body, content_type="application/json", **extra)


@pytest.fixture
def place(db) -> SmallHotel:
    return make_hotel(rooms=2)


@pytest.fixture
def held(place) -> Booking:
    return hold(place)


@pytest.fixture
def pending(held) -> Payment:
    return payment_start_online(booking=held, started_by=held.guest).payment


@pytest.fixture
def desk_clerk(place, django_capture_on_commit_callbacks):
    return staff(place, FRONT_DESK, django_capture_on_commit_callbacks)


@pytest.fixture
def manager(place, django_capture_on_commit_callbacks):
    return staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)


@pytest.fixture
def accountant(place, django_capture_on_commit_callbacks):
    return staff(place, ACCOUNTANT, django_capture_on_commit_callbacks)
