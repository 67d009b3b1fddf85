"""Liveness and readiness as the contract says, and the site surviving a Redis outage."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from apps.core import health
from tests.away import closed_port
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def redis_down_settings():
    from django.conf import settings

    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    return override_settings(CACHES=caches)


def test_healthz_is_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_service_up():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["postgresql"]["state"] == "up"
    assert body["checks"]["redis"]["state"] == "up"
    assert body["checks"]["mongodb"]["state"] == "up"


def test_readyz_reports_redis_down_but_stays_ready():
    with redis_down_settings():
        response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["redis"]["state"] == "down"
    assert body["checks"]["postgresql"]["state"] == "up"


def test_readyz_is_503_in_error_shape_when_postgresql_is_down(monkeypatch, settings):
    def refuse():
        raise OperationalError("connection refused")

    def down():
        return health._timed(refuse)

    monkeypatch.setitem(health.CORE_CHECKS, "postgresql", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "service_unavailable"
    assert body["status"] == "not_ready"
    assert body["checks"]["postgresql"] == {"state": "down"}  # no error text for the public
    settings.READINESS_TOKEN = "a-monitor-token-from-the-environment"
    assert "error" not in Client().get("/readyz", HTTP_X_READINESS_TOKEN="a-guess").json()["checks"]["postgresql"]
    detailed = Client().get("/readyz", HTTP_X_READINESS_TOKEN="a-monitor-token-from-the-environment").json()
    assert "connection refused" in detailed["checks"]["postgresql"]["error"]


def test_pages_healthz_and_login_still_work_with_redis_stopped():
    user = UserFactory()
    with redis_down_settings():
        client = Client()
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        # Sessions are cached_db: the login lands in PostgreSQL and is read back from it.
        response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        page = client.get("/")
        assert page.status_code == 200
        assert user.get_short_name().encode() in page.content


@pytest.mark.django_db
def test_readyz_details_are_for_staff_the_public_sees_states_only():
    from tests.factories import UserFactory

    public = Client().get("/readyz").json()["checks"]
    assert all(set(check) == {"state"} for check in public.values())
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert "ms" in staff.get("/readyz").json()["checks"]["postgresql"]
