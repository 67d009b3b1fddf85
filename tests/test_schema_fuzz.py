"""Schemathesis fuzzes every operation of our OpenAPI schema in-process, as each kind of caller: no 5xx, and
every answer in the shape the schema declares for it.

It grows with the API: each new endpoint is fuzzed here without a new line. The callers are anonymous, a
guest, the hotel's desk, its manager and an administrator, all in one world built once for the module (a
hotel, a stay that is over with its review and ticket, an upcoming paid stay with a refund asked, an offer,
a rate, a block, a notification). Generated cases aim at that world's real objects (its hotel, booking,
rooms, ...) so requests reach the services and not only the 404 of an unknown id.

HBS_FUZZ_EXAMPLES=100 make test ARGS=tests/test_schema_fuzz.py fuzzes deeper than the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from hbs.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
EXAMPLES = int(os.environ.get("HBS_FUZZ_EXAMPLES", "6"))
ACTORS = ("anonymous", "guest", "desk", "manager", "admin")


@dataclass
class World:
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # by actor
    path: dict[str, Any] = field(default_factory=dict)  # path parameter → a real object's key
    body: dict[str, Any] = field(default_factory=dict)  # body or query field → a real object's key


def _build_world() -> World:
    from django.contrib.auth.models import Group

    from apps.accounts.roles import FRONT_DESK, GUEST, HOTEL_MANAGER
    from apps.accounts.services import object_role_grant
    from apps.accounts.tokens import tokens_for
    from apps.reviews.services import review_create
    from apps.support.services import ticket_open
    from tests.bookings.conftest import make_hotel
    from tests.factories import (
        BookingFactory,
        BookingNightFactory,
        CheckedOutBookingFactory,
        NotificationFactory,
        OfferFactory,
        PaymentFactory,
        RateOverrideFactory,
        RefundFactory,
        RoomBlockFactory,
        UserFactory,
        user_with_roles,
    )

    place = make_hotel(rooms=3)
    hotel, room_type, rooms = place.hotel, place.room_type, place.rooms
    guest = user_with_roles(GUEST)
    stay = CheckedOutBookingFactory(guest=guest, hotel=hotel, room=rooms[0], room_type=room_type)
    review = review_create(author=guest, booking=stay, rating=4, text="Fuzzed stay")
    ticket = ticket_open(guest=guest, hotel=hotel, subject="Fuzz", category="other", message="Hello")
    upcoming = BookingFactory(guest=guest, hotel=hotel, room=rooms[1], room_type=room_type, status="confirmed")
    for night in range(2):
        BookingNightFactory(booking=upcoming, date=upcoming.check_in + timedelta(days=night))
    payment = PaymentFactory(booking=upcoming)
    refund = RefundFactory(payment=payment)
    offer = OfferFactory(hotel=hotel, code="FUZZ10")
    today = timezone.now().date()
    rate = RateOverrideFactory(
        room_type=room_type, starts_on=today + timedelta(days=60), ends_on=today + timedelta(days=61)
    )
    block = RoomBlockFactory(room=rooms[2], hotel=hotel)
    notification = NotificationFactory(user=guest)
    role = Group.objects.create(name="Fuzzed role")

    desk, manager = user_with_roles(GUEST), user_with_roles(GUEST)
    object_role_grant(user=desk, role=FRONT_DESK, scope=hotel)
    object_role_grant(user=manager, role=HOTEL_MANAGER, scope=hotel)
    admin = UserFactory(is_superuser=True, is_staff=True)

    world = World()
    world.headers = {"anonymous": {}} | {
        actor: {"Authorization": f"Bearer {tokens_for(user)['access']}"}
        for actor, user in (("guest", guest), ("desk", desk), ("manager", manager), ("admin", admin))
    }
    world.path = {
        "slug": hotel.slug,
        "reference": upcoming.reference,
        "room_id": rooms[1].pk,
        "room_type_id": room_type.pk,
        "review_id": review.pk,
        "ticket_id": ticket.pk,
        "offer_id": offer.pk,
        "rate_id": rate.pk,
        "block_id": block.pk,
        "notification_id": notification.pk,
        "payment_id": payment.pk,
        "refund_id": refund.pk,
        "role_id": role.pk,
        "user_id": guest.pk,
        "provider": "simulated",
    }
    world.body = {"hotel": hotel.slug, "booking": upcoming.reference, "room_type": room_type.pk}
    return world


@pytest.fixture(scope="module")
def world(module_transaction: None) -> World:
    """Built once, in the module's transaction (tests/conftest.py): what one test's cases change is gone for
    the next."""
    return _build_world()


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the test's transaction-bound connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ACTORS)
def actor(request) -> str:
    return request.param


def _aim_at_the_world(case: Any, world: World) -> None:
    """A valid case's ids and slugs swapped for the world's own (an invalid one stays as generated, so the
    API's refusal of it is still checked)."""
    if case.meta is None or case.meta.generation.mode != schemathesis.GenerationMode.POSITIVE:
        return
    if case.path_parameters:
        case.path_parameters = {name: world.path.get(name, value) for name, value in case.path_parameters.items()}
    if isinstance(case.query, dict) and "hotel" in case.query:
        case.query = {**case.query, "hotel": world.body["hotel"]}
    if isinstance(case.body, dict):
        case.body = {name: world.body.get(name, value) for name, value in case.body.items()}


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
# Generated cases only: the schema's own `example` values (a page's count of 123 and the like) would add some
# forty fixed requests to every operation and caller, most of the file's time, and find nothing generation misses.
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.generate, Phase.shrink],
)
def test_api_operation_conforms_for_each_caller(case, world, actor):
    _aim_at_the_world(case, world)
    # Business rules (a used reset link, a weak password, a stay not yet over) rightly refuse input that the
    # schema alone cannot tell is wrong: positive_data_acceptance is off. Signed in by the bearer header, a
    # case "missing" the session cookie the schema also offers is rightly accepted, which schemathesis counts
    # as accepted negative data. Everything else is checked: no 5xx, every answer in its declared shape.
    excluded = (
        [positive_data_acceptance] if actor == "anonymous" else [positive_data_acceptance, negative_data_rejection]
    )
    case.call_and_validate(headers=world.headers[actor], excluded_checks=excluded)
