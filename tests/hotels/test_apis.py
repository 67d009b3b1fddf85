"""The catalogue API as a mobile app sees it: shapes, money strings, errors, scoping, caching, staff grants."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.permissions import user_has_perm
from apps.audit.models import OutboxEntry
from apps.hotels.models import RateOverride, Room, RoomType
from apps.hotels.serializers import AvailabilityOut
from apps.hotels.stays import hotel_today
from tests.factories import (
    AmenityFactory,
    BookingFactory,
    HotelFactory,
    OfferFactory,
    RateOverrideFactory,
    RoomFactory,
    RoomTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def lisbon():
    hotel = HotelFactory(name="Harbour View", slug="harbour-view", city="Lisbon", tax_rate=Decimal("0.1000"))
    room_type = RoomTypeFactory(hotel=hotel, name="Double", base_rate=Decimal("129.00"))
    room_type.amenities.add(AmenityFactory(code="wifi", name="Wi-Fi"))
    RoomFactory.create_batch(3, room_type=room_type)
    return hotel


@pytest.fixture
def toronto():
    hotel = HotelFactory(
        name="Maple Court", slug="maple-court", city="Toronto", time_zone="America/Toronto", currency="CAD"
    )
    RoomFactory(room_type=RoomTypeFactory(hotel=hotel, name="King"))
    return hotel


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


# --- Public reads ------------------------------------------------------------------------------------------


def test_hotels_are_public_paginated_and_searchable_by_city(lisbon, toronto):
    client = APIClient()
    page = client.get(f"{API}/hotels/").json()
    assert {"next", "previous", "results"} <= set(page)
    assert [h["slug"] for h in page["results"]] == ["harbour-view", "maple-court"]
    assert [h["slug"] for h in client.get(f"{API}/hotels/", {"q": "toron"}).json()["results"]] == ["maple-court"]


def test_hotel_detail_has_room_types_money_as_strings_and_amenities(lisbon):
    body = APIClient().get(f"{API}/hotels/harbour-view/").json()
    assert body["currency"] == "EUR" and body["time_zone"] == "Europe/Lisbon"
    [room_type] = body["room_types"]
    assert room_type["base_rate"] == "129.00" and room_type["currency"] == "EUR"
    assert room_type["capacity"] == {"max_adults": 2, "max_children": 2, "base_occupancy": 2}
    assert room_type["photos"] == ["/static/img/rooms/double.svg"]
    assert [a["code"] for a in body["amenities"]] == ["wifi"]
    assert_error(APIClient().get(f"{API}/hotels/nowhere/"), 404, "not_found")


def test_hotel_detail_says_what_confirms_a_hold_and_the_unpaid_cap(lisbon):
    lisbon.deposit_rule, lisbon.deposit_share, lisbon.max_unpaid_rooms_per_guest = "share", Decimal("0.3"), 3
    lisbon.save()
    body = APIClient().get(f"{API}/hotels/{lisbon.slug}/").json()
    assert (body["deposit_rule"], body["deposit_share"], body["max_unpaid_rooms_per_guest"]) == ("share", "0.3000", 3)
    listed = APIClient().get(f"{API}/hotels/").json()["results"]
    assert {hotel["slug"]: hotel["deposit_rule"] for hotel in listed}[lisbon.slug] == "share"


def test_availability_answers_the_contract_shape(lisbon):
    check_in = hotel_today(lisbon) + timedelta(days=7)
    response = APIClient().get(
        f"{API}/availability/",
        {"hotel": "harbour-view", "check_in": check_in, "check_out": check_in + timedelta(days=2), "adults": 2},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    [row] = body["results"]
    assert row["room_type"]["name"] == "Double" and row["rooms_left"] == 3
    assert [n["price"] for n in row["nights"]] == ["129.00", "129.00"]
    assert (row["discount"], row["taxes"], row["total"], row["currency"]) == ("0.00", "25.80", "283.80", "EUR")


def test_availability_answer_is_exactly_what_its_documented_serializer_gives(lisbon):
    """The answer is built as plain data for speed; AvailabilityOut documents it in the schema and must agree."""
    room_type = RoomType.objects.get(hotel=lisbon)
    check_in = hotel_today(lisbon) + timedelta(days=10)
    RateOverrideFactory(room_type=room_type, starts_on=check_in, ends_on=check_in, price=Decimal("150.5"))
    OfferFactory(hotel=lisbon, code="SPRING", kind="percent", value=Decimal("12.5"))
    RoomTypeFactory(hotel=lisbon, name="Suite", base_rate=Decimal("300"))  # no rooms: sold out
    stay = {"hotel": "harbour-view", "check_in": check_in, "check_out": check_in + timedelta(days=3)}
    body = APIClient().get(f"{API}/availability/", {**stay, "adults": 2, "children": 1, "offer_code": "spring"}).json()

    assert AvailabilityOut(body).data == body
    double, suite = body["results"]
    assert [n["price"] for n in double["nights"]] == ["150.50", "129.00", "129.00"]
    assert double["offer"]["code"] == "SPRING" and double["discount"] == "51.06" and double["total"] == "393.18"
    assert suite["rooms_left"] == 0 and suite["room_type"]["name"] == "Suite"
    assert (body["check_in"], body["adults"], body["children"]) == (check_in.isoformat(), 2, 1)


def test_availability_bad_input_is_400_in_the_error_shape(lisbon):
    today = hotel_today(lisbon)
    client = APIClient()
    error = assert_error(
        client.get(f"{API}/availability/", {"hotel": "harbour-view", "check_in": today - timedelta(days=1),
                                            "check_out": today + timedelta(days=1)}),
        400,
        "validation_error",
    )  # fmt: skip
    assert "check_in" in error["fields"]
    error = assert_error(client.get(f"{API}/availability/", {"hotel": "harbour-view"}), 400, "validation_error")
    assert {"check_in", "check_out"} <= set(error["fields"])
    too_many = {"hotel": "harbour-view", "check_in": today, "check_out": today + timedelta(days=1), "adults": 3}
    assert "adults" in assert_error(client.get(f"{API}/availability/", too_many), 400, "validation_error")["fields"]
    bad_code = {"hotel": "harbour-view", "check_in": today, "check_out": today + timedelta(1), "offer_code": "NOPE"}
    assert "offer_code" in assert_error(client.get(f"{API}/availability/", bad_code), 400, "invalid_offer")["fields"]


def test_offers_lists_only_active_public_bookable_offers(lisbon):
    OfferFactory(hotel=lisbon, code="WELCOME10", name="Welcome")
    OfferFactory(hotel=lisbon, code="OFF", is_active=False)
    OfferFactory(hotel=lisbon, code="HIDDEN", is_public=False)
    OfferFactory(hotel=lisbon, code="USED", usage_limit=1, times_used=1)
    body = APIClient().get(f"{API}/offers/").json()
    assert [o["code"] for o in body["results"]] == ["WELCOME10"]
    assert body["results"][0]["value"] == "10.00"


# --- Cache ----------------------------------------------------------------------------------------------------------


def test_public_reads_are_cached_and_a_change_is_visible_on_the_next_read(lisbon, django_capture_on_commit_callbacks):
    client = APIClient()
    url = f"{API}/hotels/harbour-view/"
    assert client.get(url).json()["room_types"][0]["base_rate"] == "129.00"
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert not [q for q in warm.captured_queries if "hotels_" in q["sql"]]  # served from Redis

    with django_capture_on_commit_callbacks(execute=True):
        room_type = RoomType.objects.get(hotel=lisbon)
        room_type.base_rate = Decimal("139.00")
        room_type.save()
    assert client.get(url).json()["room_types"][0]["base_rate"] == "139.00"


def test_a_change_made_through_the_api_is_visible_on_the_next_public_read(
    lisbon, staff_of, bearer, django_capture_on_commit_callbacks
):
    manager = staff_of("hotel_manager", lisbon)
    room_type = RoomType.objects.get(hotel=lisbon)
    public = APIClient()
    assert public.get(f"{API}/room-types/{room_type.pk}/").json()["name"] == "Double"
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        response = bearer(manager).patch(f"{API}/room-types/{room_type.pk}/", {"name": "Deluxe Double"})
    assert response.status_code == 200, response.content
    assert public.get(f"{API}/room-types/{room_type.pk}/").json()["name"] == "Deluxe Double"
    assert public.get(f"{API}/hotels/harbour-view/room-types/").json()["results"][0]["name"] == "Deluxe Double"


# --- Staff writes, scoped ------------------------------------------------------------------------------------------


def test_manager_creates_a_room_type_and_bulk_rooms_at_their_hotel(lisbon, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", lisbon))
    wifi = AmenityFactory(code="ac", name="Air conditioning")
    response = client.post(
        f"{API}/hotels/harbour-view/room-types/",
        {"name": "Suite", "base_rate": "250.00", "max_adults": 3, "base_occupancy": 2, "amenities": [wifi.pk]},
    )
    assert response.status_code == 201, response.content
    suite = response.json()
    assert suite["base_rate"] == "250.00" and [a["code"] for a in suite["amenities"]] == ["ac"]

    response = client.post(f"{API}/hotels/harbour-view/rooms/", {"numbers": "201-240", "room_type": suite["id"]})
    assert response.status_code == 201, response.content
    assert len(response.json()) == 40
    assert Room.objects.filter(hotel=lisbon, room_type_id=suite["id"], floor=2).count() == 40
    again = client.post(f"{API}/hotels/harbour-view/rooms/", {"numbers": "240-241", "room_type": suite["id"]})
    assert "240" in assert_error(again, 409, "conflict")["message"]
    assert not Room.objects.filter(number="241").exists()  # all or nothing


def test_staff_of_hotel_b_cannot_see_or_change_hotel_a(lisbon, toronto, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", toronto))
    room_type = RoomType.objects.get(hotel=lisbon)
    room = Room.objects.filter(hotel=lisbon).first()
    rate = RateOverrideFactory(room_type=room_type)
    offer = OfferFactory(hotel=lisbon, is_active=False)

    assert_error(client.patch(f"{API}/room-types/{room_type.pk}/", {"name": "Mine"}), 404, "not_found")
    assert_error(client.delete(f"{API}/room-types/{room_type.pk}/"), 404, "not_found")
    assert_error(client.get(f"{API}/hotels/harbour-view/rooms/"), 404, "not_found")
    assert_error(client.post(f"{API}/hotels/harbour-view/rooms/", {"number": "999", "room_type": room_type.pk}), 404,
                 "not_found")  # fmt: skip
    assert_error(client.patch(f"{API}/rooms/{room.pk}/", {"in_service": False}), 404, "not_found")
    assert_error(client.patch(f"{API}/rates/{rate.pk}/", {"price": "1.00"}), 404, "not_found")
    assert_error(client.get(f"{API}/hotels/harbour-view/rates/"), 404, "not_found")
    assert_error(client.patch(f"{API}/offers/{offer.pk}/", {"value": "50.00"}), 404, "not_found")
    assert_error(client.get(f"{API}/hotels/harbour-view/staff/"), 404, "not_found")
    room_type.refresh_from_db()
    room.refresh_from_db()
    assert room_type.name == "Double" and room.in_service
    # …while their own hotel works
    own = RoomType.objects.get(hotel=toronto)
    assert client.patch(f"{API}/room-types/{own.pk}/", {"name": "King Deluxe"}).status_code == 200


def test_a_guest_cannot_write_to_the_catalogue(lisbon, bearer):
    client = bearer(UserFactory())
    room_type = RoomType.objects.get(hotel=lisbon)
    assert_error(client.post(f"{API}/hotels/harbour-view/room-types/", {"name": "X", "base_rate": "1.00"}), 403,
                 "permission_denied")  # fmt: skip
    assert_error(client.patch(f"{API}/room-types/{room_type.pk}/", {"name": "X"}), 403, "permission_denied")
    assert_error(client.get(f"{API}/hotels/harbour-view/rooms/"), 403, "permission_denied")
    assert_error(client.post(f"{API}/amenities/", {"code": "spa", "name": "Spa"}), 403, "permission_denied")
    assert_error(client.post(f"{API}/offers/", {"hotel": "harbour-view", "name": "Free", "value": "99.00"}), 403,
                 "permission_denied")  # fmt: skip
    assert_error(APIClient().post(f"{API}/hotels/harbour-view/room-types/", {}), 401, "not_authenticated")


def test_housekeeping_sets_only_the_housekeeping_state(lisbon, staff_of, bearer):
    client = bearer(staff_of("housekeeping", lisbon))
    room = Room.objects.filter(hotel=lisbon).first()
    response = client.patch(f"{API}/rooms/{room.pk}/", {"housekeeping": "dirty"})
    assert response.status_code == 200 and response.json()["housekeeping"] == "dirty"
    assert_error(client.patch(f"{API}/rooms/{room.pk}/", {"in_service": False}), 403, "permission_denied")


def test_rates_api_creates_a_weekend_price_that_availability_then_quotes(lisbon, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", lisbon))
    room_type = RoomType.objects.get(hotel=lisbon)
    today = hotel_today(lisbon)
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 7)
    response = client.post(
        f"{API}/hotels/harbour-view/rates/",
        {"room_type": room_type.pk, "starts_on": today, "ends_on": today + timedelta(days=60), "weekdays": [5, 4],
         "price": "199.00", "name": "Weekends"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["weekdays"] == [4, 5]
    bad = client.post(f"{API}/hotels/harbour-view/rates/",
                      {"room_type": room_type.pk, "starts_on": today, "ends_on": today - timedelta(days=1),
                       "price": "10.00"})  # fmt: skip
    assert_error(bad, 400, "validation_error")

    quote = (
        APIClient()
        .get(
            f"{API}/availability/",
            {"hotel": "harbour-view", "check_in": friday - timedelta(days=1), "check_out": friday + timedelta(days=2)},
        )
        .json()["results"][0]
    )
    assert [n["price"] for n in quote["nights"]] == ["129.00", "199.00", "199.00"]
    rate = RateOverride.objects.get()
    assert client.delete(f"{API}/rates/{rate.pk}/").status_code == 204
    assert not RateOverride.objects.exists()


def test_room_with_a_future_booking_cannot_be_removed(lisbon, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", lisbon))
    room = Room.objects.filter(hotel=lisbon).first()
    BookingFactory(room=room, check_in=hotel_today(lisbon) + timedelta(days=3))
    assert_error(client.delete(f"{API}/rooms/{room.pk}/"), 409, "conflict")
    free = Room.objects.filter(hotel=lisbon).exclude(pk=room.pk).first()
    assert client.delete(f"{API}/rooms/{free.pk}/").status_code == 204
    assert not Room.objects.filter(pk=free.pk).exists() and Room.all_objects.filter(pk=free.pk).exists()


def test_staff_offer_crud_at_their_hotel(lisbon, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", lisbon))
    response = client.post(
        f"{API}/offers/", {"hotel": "harbour-view", "name": "Spring", "code": "spring5", "kind": "fixed", "value": "5"}
    )
    assert response.status_code == 201, response.content
    offer = response.json()
    assert offer["code"] == "SPRING5" and offer["currency"] == "EUR" and offer["times_used"] == 0
    assert_error(client.post(f"{API}/offers/", {"name": "Chain", "value": "5"}), 403, "permission_denied")
    assert client.patch(f"{API}/offers/{offer['id']}/", {"is_active": False}).json()["is_active"] is False
    assert_error(APIClient().get(f"{API}/offers/{offer['id']}/"), 404, "not_found")  # no longer public
    assert client.get(f"{API}/offers/{offer['id']}/").status_code == 200  # its staff still see it
    assert client.delete(f"{API}/offers/{offer['id']}/").status_code == 204


def test_admin_adds_amenities(bearer):
    admin = UserFactory()
    admin.groups.add(Group.objects.get(name="admin"))
    response = bearer(admin).post(f"{API}/amenities/", {"code": "Spa", "name": "Spa"})
    assert response.status_code == 201 and response.json()["code"] == "spa"
    assert [a["code"] for a in APIClient().get(f"{API}/amenities/").json()["results"]] == ["spa"]


# --- Staff grants -------------------------------------------------------------------------------------------


def test_manager_grants_and_revokes_roles_at_their_hotel_only(
    lisbon, toronto, staff_of, bearer, django_capture_on_commit_callbacks
):
    manager = staff_of("hotel_manager", lisbon, email="boss@example.com")
    client = bearer(manager)
    clerk = UserFactory(email="clerk@example.com")

    response = client.post(f"{API}/hotels/harbour-view/staff/", {"user": "CLERK@example.com", "role": "front_desk"})
    assert response.status_code == 200, response.content
    rows = {row["user"]["email"]: row["roles"] for row in response.json()}
    assert rows == {"boss@example.com": ["hotel_manager"], "clerk@example.com": ["front_desk"]}
    assert user_has_perm(clerk, "bookings.check_in_booking", lisbon)
    assert not user_has_perm(clerk, "bookings.check_in_booking", toronto)

    assert_error(client.post(f"{API}/hotels/maple-court/staff/", {"user": clerk.pk, "role": "front_desk"}), 404,
                 "not_found")  # fmt: skip
    assert_error(client.post(f"{API}/hotels/harbour-view/staff/", {"user": clerk.pk, "role": "admin"}), 400,
                 "validation_error")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit forgets cached rights
        response = client.delete(f"{API}/hotels/harbour-view/staff/?user={clerk.pk}&role=front_desk")
    assert response.status_code == 200
    assert [row["user"]["email"] for row in response.json()] == ["boss@example.com"]
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert not user_has_perm(clerk, "bookings.check_in_booking", lisbon)
    assert_error(client.delete(f"{API}/hotels/harbour-view/staff/", {"user": clerk.pk, "role": "front_desk"}), 404,
                 "not_found")  # fmt: skip


def test_a_manager_cannot_give_a_second_account_of_theirs_the_right_to_approve_their_refunds(
    lisbon, staff_of, bearer, mailoutbox, django_capture_on_commit_callbacks
):
    manager = staff_of("hotel_manager", lisbon, email="boss@example.com")
    other_manager = staff_of("hotel_manager", lisbon, email="second-boss@example.com")
    sock_puppet = UserFactory(email="boss.alt@example.com")
    client = bearer(manager)
    for role in ("accountant", "hotel_manager"):
        body = assert_error(
            client.post(f"{API}/hotels/harbour-view/staff/", {"user": sock_puppet.email, "role": role}),
            403,
            "permission_denied",
        )
        assert "administrator" in body["message"]
    assert not user_has_perm(type(sock_puppet).objects.get(pk=sock_puppet.pk), "refunds.approve_refund", lisbon)

    # A role without the approval right is still the manager's to give, audited and told to the other managers.
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"{API}/hotels/harbour-view/staff/", {"user": sock_puppet.pk, "role": "front_desk"}).status_code
            == 200
        )
    line = OutboxEntry.objects.filter(document__action="role_granted").get()
    assert line.document["actor"]["id"] == manager.pk
    assert line.document["details"] == {"role": "front_desk", "hotel": "harbour-view", "granted_by": manager.pk}
    assert [message.to for message in mailoutbox] == [[other_manager.email]]
    assert "boss.alt@example.com" in mailoutbox[0].body and "boss@example.com" in mailoutbox[0].body

    admin = UserFactory()
    admin.groups.add(Group.objects.get(name="admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(admin).post(
            f"{API}/hotels/harbour-view/staff/", {"user": sock_puppet.pk, "role": "accountant"}
        )
    assert response.status_code == 200
    assert user_has_perm(type(sock_puppet).objects.get(pk=sock_puppet.pk), "refunds.approve_refund", lisbon)


def test_front_desk_cannot_manage_staff(lisbon, staff_of, bearer):
    desk = bearer(staff_of("front_desk", lisbon))
    assert_error(desk.get(f"{API}/hotels/harbour-view/staff/"), 403, "permission_denied")


def test_a_public_offer_reads_the_same_from_the_cache(lisbon):
    offer = OfferFactory(hotel=lisbon, code="WELCOME10", kind="fixed", value=Decimal("15.00"))
    client = APIClient()
    first = client.get(f"{API}/offers/{offer.pk}/").json()
    assert first["value"] == "15.00" and first["currency"] == "EUR" and "times_used" not in first
    assert client.get(f"{API}/offers/{offer.pk}/").json() == first
