"""The schema at /api/schema/ read the way a generated client reads it: the answers must be what it says.

A client generator turns each component into a class with its `required` fields; an answer that lacks one,
or a component shared by two different shapes, crashes that client. These tests resolve the components
from the served schema and hold real answers against them.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from rest_framework.test import APIClient

from apps.accounts.roles import HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def component(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    """The component as a JSON Schema: references inlined, OpenAPI 3.0's `nullable` spelt as a null type."""
    schemas = openapi["components"]["schemas"]

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(copy.deepcopy(schemas[node["$ref"].rsplit("/", 1)[-1]]))
            resolved = {key: resolve(value) for key, value in node.items() if key not in {"discriminator"}}
            if resolved.pop("nullable", False):
                resolved = {"anyOf": [resolved, {"type": "null"}]}
            return resolved
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve({"$ref": f"#/components/schemas/{name}"})


def response_component(openapi: dict[str, Any], path: str, method: str, status: str) -> str:
    content = openapi["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return content["$ref"].rsplit("/", 1)[-1]


def conforms(openapi: dict[str, Any], name: str, answer: Any) -> None:
    jsonschema.validate(answer, component(openapi, name))


def test_the_booking_answer_is_what_its_component_says(openapi):
    place = make_hotel()
    check_in, check_out = place.day(0), place.day(2)
    created = client_for(UserFactory()).post(
        "/api/v1/bookings/",
        {"hotel": place.hotel.slug, "room_type": place.room_type.pk, "check_in": check_in, "check_out": check_out},
        format="json",
    )
    assert created.status_code == 201, created.json()
    name = response_component(openapi, "/api/v1/bookings/", "post", "201")
    conforms(openapi, name, created.json())

    # The nights component is the booking's own: each property it names is sent, each key sent is named.
    nights = component(openapi, name)["properties"]["nights"]["items"]
    for night in created.json()["nights"]:
        assert set(night) == set(nights["properties"]) and set(nights["required"]) <= set(night)
    assert "override_applied" not in nights["properties"]


def test_availability_nights_keep_their_own_component(openapi):
    place = make_hotel()
    answer = APIClient().get(
        "/api/v1/availability/",
        {"hotel": place.hotel.slug, "check_in": place.day(0), "check_out": place.day(1), "adults": 1},
    )
    assert answer.status_code == 200, answer.json()
    name = response_component(openapi, "/api/v1/availability/", "get", "200")
    conforms(openapi, name, answer.json())
    assert answer.json()["results"][0]["nights"][0]["override_applied"] is False


def test_an_offer_is_declared_in_the_shape_each_caller_gets(openapi):
    place = make_hotel()
    offer = OfferFactory(hotel=place.hotel, code="SPRING5", usage_limit=5)
    manager = UserFactory()
    object_role_grant(user=manager, role=HOTEL_MANAGER, scope=place.hotel)

    public = APIClient().get(f"/api/v1/offers/{offer.pk}/")
    staff = client_for(manager).get(f"/api/v1/offers/{offer.pk}/")
    assert public.status_code == staff.status_code == 200

    declared = openapi["paths"]["/api/v1/offers/{offer_id}/"]["get"]["responses"]["200"]["content"]
    name = declared["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    mapping = openapi["components"]["schemas"][name]["discriminator"]["mapping"]
    shapes = {view: ref.rsplit("/", 1)[-1] for view, ref in mapping.items()}
    assert public.json()["view"] == "public" and "times_used" not in public.json()
    assert staff.json()["view"] == "staff" and staff.json()["times_used"] == 0
    conforms(openapi, shapes["public"], public.json())
    conforms(openapi, shapes["staff"], staff.json())
    assert "times_used" not in component(openapi, shapes["public"])["properties"]
    conforms(openapi, name, public.json())
    conforms(openapi, name, staff.json())


def test_every_operation_that_takes_a_token_declares_the_bearer_scheme(openapi):
    assert openapi["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    missing = []
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            security = operation.get("security") or []
            if any(requirement for requirement in security) and not any("jwtAuth" in r for r in security):
                missing.append(f"{method.upper()} {path}")
    assert missing == []
    token_taking = [
        (path, method)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if any("jwtAuth" in r for r in operation.get("security", []))
    ]
    assert ("/api/v1/bookings/", "post") in token_taking and ("/api/v1/auth/me/", "get") in token_taking


def test_component_and_enum_names_say_what_they_are(openapi):
    names = set(openapi["components"]["schemas"])
    assert {"BookingNightOut", "AvailabilityNightOut", "BookingStatusEnum", "PaymentStatusEnum"} <= names
    assert "NightOut" not in names
    # drf-spectacular's fallback for colliding enums is a hash suffix (StatusE55Enum): none may remain.
    assert [n for n in names if n.endswith("Enum") and any(c.isdigit() for c in n)] == []


def test_writes_declare_their_conflicts_and_only_get_lists_are_pages(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in {"post", "put", "patch", "delete"}:
                assert "409" in operation["responses"], f"{method.upper()} {path}"
    created = openapi["paths"]["/api/v1/hotels/{slug}/rooms/"]["post"]["responses"]["201"]["content"]
    assert created["application/json"]["schema"]["type"] == "array"
    listed = openapi["paths"]["/api/v1/hotels/{slug}/rooms/"]["get"]["responses"]["200"]["content"]
    assert listed["application/json"]["schema"]["$ref"].endswith("/PaginatedRoomOutList")


def test_a_batch_of_rooms_is_answered_as_the_array_the_schema_declares(openapi):
    place = make_hotel(rooms=0)
    manager = UserFactory()
    object_role_grant(user=manager, role=HOTEL_MANAGER, scope=place.hotel)
    response = client_for(manager).post(
        f"/api/v1/hotels/{place.hotel.slug}/rooms/",
        {"room_type": place.room_type.pk, "numbers": "201-203", "floor": 2},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [room["number"] for room in response.json()] == ["201", "202", "203"]
    jsonschema.validate(response.json(), {"type": "array", "items": component(openapi, "RoomOut")})
