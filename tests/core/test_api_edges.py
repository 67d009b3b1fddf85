"""The edges of the API: addresses with no endpoint and bodies no field could take still answer in the error shape."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.bookings.models import Booking
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


# --- Unknown addresses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])
@pytest.mark.parametrize(
    "address", ["/api/v1/no-such-thing/", "/api/v2/hotels/", "/api/", "/api/v1/rooms/not-a-number/"]
)
def test_an_unknown_api_address_is_a_404_in_the_error_shape(client, settings, debug, address):
    settings.DEBUG = debug
    error = assert_error(client.get(address), 404, "not_found")
    assert error["message"] == "There is no API endpoint at this address."


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])
def test_a_post_to_an_unknown_api_address_is_a_404_not_a_csrf_refusal(client, settings, debug):
    settings.DEBUG = debug
    assert_error(client.post("/api/v1/no-such-thing/", {}, content_type="application/json"), 404, "not_found")


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on", "DEBUG off"])
def test_a_post_without_the_final_slash_is_told_the_right_address(client, settings, debug):
    settings.DEBUG = debug  # with DEBUG on, CommonMiddleware would raise (a 500) rather than drop a POST's body
    error = assert_error(client.post("/api/v1/bookings", {}, content_type="application/json"), 404, "not_found")
    assert "/api/v1/bookings/" in error["message"]


def test_a_get_without_the_final_slash_is_sent_to_the_endpoint(client):
    response = client.get("/api/v1/hotels?q=lisbon")
    assert response.status_code == 301 and response["Location"] == "/api/v1/hotels/?q=lisbon"


def test_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- Hostile JSON ----------------------------------------------------------------------------------------


def post_raw(user, body: str | bytes):
    return client_for(user).generic("POST", "/api/v1/bookings/", body, content_type="application/json")


@pytest.fixture
def guest():
    return UserFactory()


def test_a_body_nested_50000_deep_is_a_400_validation_error(guest):
    error = assert_error(post_raw(guest, "[" * 50_000 + "]" * 50_000), 400, "validation_error")
    assert "nested more than 32 levels" in error["message"]
    assert Booking.objects.count() == 0


def test_nesting_the_parser_could_follow_is_refused_past_the_limit(guest):
    error = assert_error(post_raw(guest, '{"hotel": ' + "[" * 40 + "]" * 40 + "}"), 400, "validation_error")
    assert "nested more than 32 levels" in error["message"]


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("1e999999", "too large"),
        ("-1e999999", "too large"),
        ("1" * 100_000, "more than 50 digits"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
    ],
    ids=["1e999999", "-1e999999", "10**100000", "NaN", "Infinity"],
)
def test_numbers_no_field_could_hold_are_a_400_validation_error(guest, number, says):
    error = assert_error(post_raw(guest, f'{{"room_type": {number}}}'), 400, "validation_error")
    assert says in error["message"]


def test_a_lone_surrogate_is_a_400_validation_error_and_never_reaches_the_database(guest):
    place = make_hotel()
    body = (
        f'{{"hotel": "{place.hotel.slug}", "room_type": {place.room_type.pk}, "check_in": "{place.day(0)}", '
        f'"check_out": "{place.day(1)}", "special_requests": "late \\ud800 arrival"}}'
    )
    error = assert_error(post_raw(guest, body), 400, "validation_error")
    assert "surrogate" in error["message"]
    assert Booking.objects.count() == 0
    with connection.cursor() as cursor:  # the connection is still usable: nothing failed half-way
        cursor.execute("SELECT 1")


def test_a_lone_surrogate_in_a_key_is_refused_too(guest):
    assert_error(post_raw(guest, '{"\\udfff": 1}'), 400, "validation_error")


def test_duplicate_keys_are_a_400_validation_error(guest):
    error = assert_error(post_raw(guest, '{"hotel": "a", "adults": 1, "hotel": "b"}'), 400, "validation_error")
    assert "'hotel' appears twice" in error["message"]


def test_plain_bad_syntax_stays_a_parse_error(guest):
    assert_error(post_raw(guest, "{not json"), 400, "parse_error")


def test_bytes_that_are_not_utf8_are_a_parse_error(guest):
    assert_error(post_raw(guest, b'{"hotel": "\xff\xfe"}'), 400, "parse_error")


def test_an_ordinary_body_still_books(guest):
    place = make_hotel()
    body = (
        f'{{"hotel": "{place.hotel.slug}", "room_type": {place.room_type.pk}, "check_in": "{place.day(0)}", '
        f'"check_out": "{place.day(1)}", "adults": 1.0e0, "special_requests": "caf\\u00e9 \\ud83d\\ude00"}}'
    )
    response = post_raw(guest, body)
    assert response.status_code == 201, response.json()
    assert Booking.objects.get().special_requests == "café 😀"
