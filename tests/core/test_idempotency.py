"""Idempotency-Key as API.md pins it: replay, mismatch, in progress, per user, and real concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.clients import client_for
from tests.core import idempotency_urls
from tests.factories import UserFactory
from tests.testapp.models import Widget

pytestmark = pytest.mark.urls("tests.core.idempotency_urls")
URL = "/api/v1/test/widgets/"


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_response():
    client = client_for(UserFactory())
    first = client.post(URL, {"code": "A1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(URL, {"code": "A1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Widget.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_409_mismatch():
    client = client_for(UserFactory())
    client.post(URL, {"code": "A1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = client.post(URL, {"code": "B2"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_mismatch"
    assert Widget.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_scoped_per_user():
    first, second = client_for(UserFactory()), client_for(UserFactory())
    assert first.post(URL, {"code": "A1"}, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert second.post(URL, {"code": "B1"}, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert Widget.objects.count() == 2


@pytest.mark.django_db
def test_a_refusal_is_replayed_as_well():
    client = client_for(UserFactory())
    first = client.post(URL, {"code": "taken"}, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    again = client.post(URL, {"code": "taken"}, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


@pytest.mark.django_db
def test_without_a_key_every_call_creates():
    client = client_for(UserFactory())
    client.post(URL, {"code": "A1"}, format="json")
    client.post(URL, {"code": "A2"}, format="json")
    assert Widget.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_row():
    """Two threads, one key: one creates, the other is told the first is still running, then replays it."""
    user = UserFactory()
    idempotency_urls.hold_first_request.clear()
    idempotency_urls.first_request_started.clear()
    results: dict[str, object] = {}

    def first():
        try:
            results["first"] = client_for(user).post(
                URL, {"code": "A1", "slow": True}, format="json", HTTP_IDEMPOTENCY_KEY="race"
            )
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert idempotency_urls.first_request_started.wait(10)
    during = client_for(user).post(URL, {"code": "A1", "slow": True}, format="json", HTTP_IDEMPOTENCY_KEY="race")
    idempotency_urls.hold_first_request.set()
    thread.join(15)

    assert during.status_code == 409
    assert during.json()["error"]["code"] == "idempotency_in_progress"
    assert results["first"].status_code == 201
    after = client_for(user).post(URL, {"code": "A1", "slow": True}, format="json", HTTP_IDEMPOTENCY_KEY="race")
    assert after.status_code == 201
    assert after.json() == results["first"].json()
    assert Widget.objects.count() == 1
