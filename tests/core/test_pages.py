"""The base layout and home page as a visitor's browser receives them."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_home_tells_no_visitor_how_many_accounts_exist():
    UserFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/")
    assert response.status_code == 200
    assert b"member" not in response.content
    assert not [q for q in queries.captured_queries if "accounts_user" in q["sql"]]


def test_home_loads_htmx_and_css_from_the_npm_packages_and_they_are_served():
    client = Client()
    page = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "/static/vendor/pico/pico.min.css" in page
    for asset in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/pico/pico.min.css", "/static/css/hbs.css"):
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100


def test_pages_carry_csrf_token_for_htmx_and_a_strict_csp():
    response = Client().get("/")
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nav_shows_login_state():
    user = UserFactory(first_name="Gina")
    client = Client()
    assert b"Log in" in client.get("/").content
    login = client.post("/accounts/login/", {"username": user.email.upper(), "password": TEST_PASSWORD})
    assert login.status_code == 302
    page = client.get("/").content
    assert b"Gina" in page and b"Log out" in page


def test_every_response_has_a_request_id_echoed_or_made():
    client = Client()
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    # Header injection attempts are replaced, not echoed.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nx: y")["X-Request-ID"] != "bad id\r\nx: y"


def test_one_json_log_line_per_request(caplog):
    from apps.core.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="hbs.request"):
        Client().get("/healthz", HTTP_X_REQUEST_ID="log-1")
    records = [r for r in caplog.records if r.name == "hbs.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "log-1"
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["user"] is None and line["duration_ms"] >= 0


def test_cors_allows_configured_mobile_origin_on_the_api(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = Client().get("/healthz", HTTP_ORIGIN="https://app.example.com")
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = Client().get("/healthz", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other


def test_api_docs_and_schema_are_served():
    client = Client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/healthz" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.content


def test_home_shows_each_hotel_with_a_photo_its_from_rate_and_the_public_offers():
    from tests.factories import HotelFactory, OfferFactory, RoomTypeFactory

    hotel = HotelFactory(name="Harbour View", currency="EUR")
    RoomTypeFactory(hotel=hotel, base_rate="140.00", photos=["img/rooms/king.svg"])
    RoomTypeFactory(hotel=hotel, base_rate="95.00", photos=["img/rooms/twin.svg"])
    OfferFactory(hotel=hotel, name="Spring in Lisbon", code="SPRING", is_public=True)
    OfferFactory(hotel=hotel, name="Staff only", code="HIDDEN", is_public=False)

    page = Client().get("/").content.decode()

    assert "Harbour View" in page
    assert "Rooms from <strong>€95.00</strong> a night" in page
    assert "/static/img/rooms/" in page and 'class="hotel-cover"' in page
    assert "Spring in Lisbon" in page and "SPRING" in page
    assert "Staff only" not in page
