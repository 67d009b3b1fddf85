"""GET /api/v1/audit-logs/: who may read it, its filters and pages, and the outbox when MongoDB is out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.utils import timezone

from apps.audit.models import OutboxEntry
from apps.audit.services import AUDIT_LOGS, record
from apps.core import mongo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit-logs/"


@pytest.fixture
def auditor():
    user = UserFactory(email="auditor@example.com")
    role = Group.objects.create(name="Auditor")
    role.permissions.add(Permission.objects.get(codename="view_auditlog"))
    user.groups.add(role)
    return user


def line(entity: str, entity_id: str, actor_id: int | None = None, action: str = "update"):
    actor = {"type": "user", "id": actor_id, "email": ""} if actor_id else {"type": "system", "id": None, "email": ""}
    return record(
        collection=AUDIT_LOGS,
        document={
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "changes": {},
            "actor": actor,
            "request_id": "",
            "ip": "",
            "user_agent": "",
        },
    )


def test_anonymous_gets_401_in_the_error_shape(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_plain_user_gets_403(api_client):
    api_client.force_authenticate(UserFactory())
    response = api_client.get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("who", ["auditor", "superuser"])
def test_auditors_and_superusers_read_the_lines(api_client, relay, auditor, who):
    reader = auditor if who == "auditor" else UserFactory(is_superuser=True, is_staff=True)
    relay()
    api_client.force_authenticate(reader)
    response = api_client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert body["results"] and all(result["shipped"] for result in body["results"])
    ids = [result["id"] for result in body["results"]]
    assert ids == sorted(ids, reverse=True)  # newest first


def test_filters_entity_entity_id_actor_and_since(api_client, relay, auditor):
    OutboxEntry.objects.all().delete()
    mine = line("hotels.hotel", "1", actor_id=auditor.pk)
    line("hotels.hotel", "2")
    line("bookings.booking", "1")
    old = line("hotels.hotel", "1")
    OutboxEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    relay()
    api_client.force_authenticate(auditor)

    def ids(**params):
        response = api_client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [result["id"] for result in response.json()["results"]]

    assert len(ids(entity="hotels.hotel")) == 3
    assert ids(entity="hotels.hotel", entity_id="1") == [old.pk, mine.pk]
    assert ids(actor=str(auditor.pk)) == [mine.pk]
    assert len(ids(actor="system")) == 3
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert old.pk not in ids(entity="hotels.hotel", since=since)
    assert len(ids(entity="hotels.hotel", since=since)) == 2


def test_bad_filters_are_400_validation_errors(api_client, auditor):
    api_client.force_authenticate(auditor)
    for params in ({"entity": "no label"}, {"actor": "bob"}, {"since": "yesterday"}, {"cursor": "%%%"}):
        response = api_client.get(URL, params)
        assert response.status_code == 400, params
        assert response.json()["error"]["code"] == "validation_error"


def test_cursor_pages_forward_and_back_without_gaps(api_client, relay, auditor):
    OutboxEntry.objects.all().delete()
    made = [line("hotels.room", str(n)).pk for n in range(7)]
    relay()
    api_client.force_authenticate(auditor)

    first = api_client.get(URL, {"page_size": 3}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    seen = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert seen == sorted(made, reverse=True)
    assert first["previous"] is None and third["next"] is None

    back = api_client.get(third["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in second["results"]]


def test_with_mongodb_down_waiting_lines_are_shown_unshipped(api_client, relay, auditor, mongo_down):
    api_client.force_authenticate(auditor)
    response = api_client.get(URL, {"entity": "accounts.user", "entity_id": str(auditor.pk)})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and {result["shipped"] for result in results} == {False}
    assert results[0]["action"] == "m2m_add"  # the auditor's role, granted in the fixture


def test_without_mongodb_configured_the_outbox_is_the_audit(api_client, auditor):
    mongo.set_client(None)
    with override_settings(MONGODB_URL=""):
        api_client.force_authenticate(auditor)
        results = api_client.get(URL, {"entity": "accounts.user"}).json()["results"]
    assert results and not any(result["shipped"] for result in results)


def test_mongodb_lines_and_still_waiting_lines_are_merged(api_client, relay, auditor):
    relay()
    late = line("hotels.hotel", "9")
    api_client.force_authenticate(auditor)
    results = api_client.get(URL).json()["results"]
    assert results[0]["id"] == late.pk and results[0]["shipped"] is False
    assert all(result["shipped"] for result in results[1:])


def test_the_endpoint_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/audit-logs/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"entity", "entity_id", "actor", "since", "cursor"}
    assert "200" in operation["responses"] and "403" in operation["responses"]
