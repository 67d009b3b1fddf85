"""With Redis down the rate limits still hold: counted in PostgreSQL, else in the process. Never no limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import connections, transaction
from django.test import override_settings
from rest_framework.test import APIClient

from apps.core import ratelimit
from apps.core.errors import Throttled
from apps.core.ratelimit import Limit, hit, prune_counters
from tests.away import closed_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "counters"])


@pytest.fixture
def redis_down(settings):
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _empty_counters(settings):
    settings.RATE_LIMIT_DATABASE = "counters"  # as in production: a connection of its own
    # The fallback counters commit on their own connection, outside the test's transaction.
    with connections["counters"].cursor() as cursor:
        cursor.execute("DELETE FROM core_ratelimitcounter")
    yield
    with connections["counters"].cursor() as cursor:
        cursor.execute("DELETE FROM core_ratelimitcounter")


def test_password_guessing_on_the_token_endpoint_is_still_limited_per_account_with_redis_down(redis_down, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-email": "3/3600", "login-ip": "100/3600"}
    UserFactory(email="rosa@example.com", password="the-right-one-2026")
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"email": "rosa@example.com", "password": f"guess-{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    response = client.post("/api/v1/auth/token/", {"email": "rosa@example.com", "password": "the-right-one-2026"})
    assert response.status_code == 429 and response.json()["error"]["code"] == "throttled"


def test_the_api_rate_still_holds_with_redis_down(redis_down, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/day", "user": "5/day"}}
    client = APIClient()
    assert [client.get("/api/v1/amenities/").status_code for _ in range(3)] == [200, 200, 429]


def test_sign_up_and_reset_limits_hold_on_the_pages_with_redis_down(redis_down, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reset-email": "1/3600"}
    assert client.post("/accounts/password/reset/", {"email": "nobody@example.com"}).status_code in (200, 302)
    assert client.post("/accounts/password/reset/", {"email": "nobody@example.com"}).status_code == 429


def test_an_attempt_counted_inside_a_transaction_that_rolls_back_stays_counted(redis_down):
    limit = Limit(name="probe", count=1, seconds=3600)

    def attempt_then_fail() -> None:
        with transaction.atomic():
            hit(limit, "subject")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        attempt_then_fail()
    with pytest.raises(Throttled):
        hit(limit, "subject")


def test_with_postgresql_failing_too_the_process_counts(redis_down):
    limit = Limit(name="probe-local", count=2, seconds=3600)
    with mock.patch.object(ratelimit, "_count_in_postgresql", side_effect=OSError("down")):
        hit(limit, "subject")
        hit(limit, "subject")
        with pytest.raises(Throttled):
            hit(limit, "subject")


def test_counters_of_ended_windows_are_pruned(redis_down):
    hit(Limit(name="short", count=5, seconds=1), "subject")
    with mock.patch.object(ratelimit, "datetime") as clock:
        clock.now.return_value = datetime.now(tz=UTC) + timedelta(seconds=5)
        assert prune_counters() == 1
