"""Schemathesis fuzzes every operation of our OpenAPI schema in-process: no 5xx, responses match.

It grows with the API: each new endpoint is fuzzed here without a new line.
HBS_FUZZ_EXAMPLES=300 make test ARGS=tests/test_schema_fuzz.py fuzzes deeper.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from hbs.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the test's transaction-bound connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("HBS_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_api_operation_conforms(case):
    # Every check but one: business rules (a used reset link, a weak password)
    # rightly refuse input that the schema alone cannot tell is wrong.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


# Reviews and tickets fuzzed signed in too (above, unauthenticated, most answer 401): as a guest who has a
# ticket and a review, and as the desk and manager of that hotel, so bodies reach the services and the
# multipart upload path.
guest_relations = schema.include(tag_regex="^(reviews|support tickets)$")
SIGNED_IN_AS = ("guest", "front_desk", "hotel_manager")


def _signed_in_world(role: str) -> dict[str, str]:
    from apps.accounts.roles import GUEST
    from apps.accounts.services import object_role_grant
    from apps.accounts.tokens import tokens_for
    from apps.reviews.services import review_create
    from apps.support.services import ticket_open
    from tests.bookings.conftest import make_hotel
    from tests.factories import CheckedOutBookingFactory, user_with_roles

    place = make_hotel(rooms=1)
    guest = user_with_roles(GUEST)
    stay = CheckedOutBookingFactory(guest=guest, hotel=place.hotel, room=place.rooms[0], room_type=place.room_type)
    review_create(author=guest, booking=stay, rating=4, text="Fuzzed stay")
    ticket_open(guest=guest, hotel=place.hotel, subject="Fuzz", category="other", message="Hello")
    user = guest
    if role != "guest":
        user = user_with_roles(GUEST)
        object_role_grant(user=user, role=role, scope=place.hotel)
    return {"Authorization": f"Bearer {tokens_for(user)['access']}"}


@pytest.fixture(params=SIGNED_IN_AS)
def signed_in_headers(request, db) -> dict[str, str]:
    """One world per operation and role, shared by its examples (they run in the test's one transaction)."""
    return _signed_in_world(request.param)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@guest_relations.parametrize()
@settings(
    max_examples=int(os.environ.get("HBS_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_guest_relations_operations_conform_signed_in(case, signed_in_headers):
    # Signed in by the bearer header, a request "missing" the session cookie that the schema also offers is
    # rightly accepted: schemathesis counts that as accepted negative data. Everything else is checked
    # (no 5xx, every answer in its declared shape), as in the unauthenticated run above.
    case.call_and_validate(
        headers=signed_in_headers, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
