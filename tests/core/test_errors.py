"""Every API error, of every kind, leaves in the one shape of API.md; pages get friendly HTML."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.testapp.models import Widget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.probe_urls")]


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    return body["error"]


def test_validation_error_names_each_bad_field(api_client):
    error = assert_error(
        api_client.post("/api/v1/probe/validate/", {"check_in": "31-02-2027", "nights": 99}, format="json"),
        400,
        "validation_error",
    )
    assert set(error["fields"]) == {"check_in", "nights"}
    assert "check_in" in error["message"]


def test_malformed_json_is_a_parse_error(api_client):
    response = api_client.generic("POST", "/api/v1/probe/validate/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_anonymous_on_private_endpoint_is_401(api_client):
    assert_error(api_client.get("/api/v1/probe/private/"), 401, "not_authenticated")


def test_bad_bearer_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(api_client.get("/api/v1/probe/private/"), 401, "not_authenticated")


def test_logged_in_without_right_is_403(api_client):
    api_client.force_authenticate(UserFactory())
    assert_error(api_client.get("/api/v1/probe/admin/"), 403, "permission_denied")


def test_unknown_api_url_is_404_in_error_shape(api_client):
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_missing_object_is_404_in_error_shape(api_client):
    assert_error(api_client.get("/api/v1/probe/missing/"), 404, "not_found")


def test_wrong_method_is_405(api_client):
    assert_error(api_client.delete("/api/v1/probe/validate/"), 405, "method_not_allowed")


def test_unsupported_media_type_is_415(api_client):
    response = api_client.generic("POST", "/api/v1/probe/validate/", "a=b", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_throttled_is_429_with_retry_after(api_client):
    assert api_client.get("/api/v1/probe/throttled/").status_code == 200
    response = api_client.get("/api/v1/probe/throttled/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_domain_error_keeps_its_code_and_leaves_nothing_half_written(api_client):
    error = assert_error(api_client.post("/api/v1/probe/domain/", {}, format="json"), 409, "room_unavailable")
    assert error["message"] == "Room 101 was just taken."
    assert not Widget.all_objects.filter(code="half-written").exists()


def test_unhandled_bug_is_500_in_error_shape_with_request_id(api_client):
    response = api_client.get("/api/v1/probe/broken/", HTTP_X_REQUEST_ID="req-123")
    error = assert_error(response, 500, "server_error")
    assert "req-123" in error["message"]
    assert response["X-Request-ID"] == "req-123"


def test_unknown_page_is_a_friendly_html_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"We could not find that page." in response.content
    assert b"Back to the home page" in response.content


def test_page_500_is_friendly_html_with_request_id():
    client = Client(raise_request_exception=False)
    response = client.get("/probe/broken-page/", HTTP_X_REQUEST_ID="page-req-9")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Something went wrong" in response.content
    assert b"page-req-9" in response.content


def test_csrf_failure_on_a_page_is_a_friendly_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert b"Please reload the page" in response.content


def test_a_selectors_not_found_on_a_page_is_the_friendly_404():
    response = Client().get("/hotels/no-such-hotel/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"We could not find that page." in response.content
