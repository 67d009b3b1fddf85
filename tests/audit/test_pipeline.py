"""The audit promise: every committed change reaches audit_logs, no rolled-back one does, outages only delay."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import bson
import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from apps.accounts.tokens import tokens_for
from apps.audit.encoding import bson_safe
from apps.audit.models import OutboxEntry
from apps.audit.services import AUDIT_LOGS, audit_log_record, record
from apps.core import context
from tests.audit.conftest import mongo_docs, waiting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def jwt_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
    return client


@pytest.mark.urls("tests.audit.urls")
def test_committed_change_reaches_audit_logs_after_one_relay_with_actor_diff_and_request(mongo_client, relay):
    admin = UserFactory(email="admin@example.com")
    guest = UserFactory(first_name="Ana")
    OutboxEntry.objects.all().delete()  # only the request's own lines below

    response = jwt_client(admin).post(
        f"/test/users/{guest.pk}/rename/",
        {"first_name": "Anna"},
        headers={"X-Request-ID": "req-rename-1", "User-Agent": "HBS-iOS/3.2"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    assert mongo_docs(mongo_client, AUDIT_LOGS) == []  # nothing talks to MongoDB in the request

    assert relay().shipped == 1

    [line] = mongo_docs(mongo_client, AUDIT_LOGS)
    assert line["action"] == "update"
    assert line["entity"] == "accounts.user"
    assert line["entity_id"] == str(guest.pk)
    assert line["changes"] == {"first_name": ["Ana", "Anna"]}
    assert line["actor"] == {"type": "user", "id": admin.pk, "email": "admin@example.com"}
    assert line["request_id"] == "req-rename-1"
    assert line["ip"] == "203.0.113.9"
    assert line["user_agent"] == "HBS-iOS/3.2"
    assert line["_id"] == OutboxEntry.objects.get().pk
    assert isinstance(line["at"], dt.datetime)


def test_rolled_back_transaction_leaves_no_outbox_row():
    user = UserFactory()
    before = OutboxEntry.objects.count()
    seen_inside: list[int] = []

    def rename_then_fail() -> None:
        with transaction.atomic():
            user.first_name = "Changed"
            user.save()
            seen_inside.append(OutboxEntry.objects.count())  # written in the same transaction...
            raise RuntimeError("payment declined")

    with pytest.raises(RuntimeError, match="payment declined"):
        rename_then_fail()
    assert seen_inside == [before + 1]
    assert OutboxEntry.objects.count() == before  # ...and gone with it
    user.refresh_from_db()
    assert user.first_name != "Changed"


def test_relaying_twice_leaves_no_duplicate(mongo_client, relay):
    UserFactory.create_batch(3)
    queued = waiting()
    first = relay()
    second = relay()
    assert first.shipped == queued and second.shipped == 0
    assert len(mongo_docs(mongo_client, AUDIT_LOGS)) == queued


def test_a_row_already_in_mongodb_counts_as_shipped(mongo_client, relay):
    """A relay that crashed after inserting but before committing ships the batch again: no copy, no error."""
    row = record(collection=AUDIT_LOGS, document={"action": "create"})
    mongo_client["hbs"][AUDIT_LOGS].insert_one({"_id": row.pk, "action": "create"})
    result = relay()
    assert result.shipped == 1 and result.failed == 0
    row.refresh_from_db()
    assert row.shipped_at is not None
    assert len(mongo_docs(mongo_client, AUDIT_LOGS)) == 1


@pytest.mark.urls("tests.audit.urls")
def test_mongodb_down_the_request_succeeds_rows_wait_and_a_later_relay_ships_all(mongo_client, mongo_down, relay):
    admin, guest = UserFactory(), UserFactory(first_name="Ana")
    before = waiting()
    response = jwt_client(admin).post(f"/test/users/{guest.pk}/rename/", {"first_name": "Anna"})
    assert response.status_code == 200
    queued = waiting()
    assert queued == before + 1

    result = relay()
    assert result.unavailable and result.shipped == 0
    assert waiting() == queued
    assert set(OutboxEntry.objects.values_list("attempts", flat=True)) == {1}
    assert "ServerSelectionTimeoutError" in OutboxEntry.objects.first().last_error

    from apps.core import mongo

    mongo.set_client(mongo_client)  # MongoDB is back
    result = relay()
    assert result.shipped == queued and waiting() == 0
    lines = mongo_docs(mongo_client, AUDIT_LOGS)
    assert len(lines) == queued
    assert lines[-1]["changes"] == {"first_name": ["Ana", "Anna"]}


def test_ten_thousand_rows_ship_in_batches_with_the_right_count(mongo_client, relay):
    OutboxEntry.objects.bulk_create(
        OutboxEntry(collection=AUDIT_LOGS, document={"action": "create", "entity_id": str(n)}) for n in range(10_000)
    )
    result = relay(batch_size=500)
    assert result.shipped == 10_000
    assert result.batches == 20
    assert waiting() == 0
    assert mongo_client["hbs"][AUDIT_LOGS].count_documents({}) == 10_000


def test_documents_round_trip_through_bson(mongo_client, relay):
    tricky = {
        "price": Decimal("129.00"),
        "check_in": dt.date(2026, 12, 24),
        "paid_at": dt.datetime(2026, 11, 1, 12, 30, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 11, 1, 12, 30),  # the encoder must cope with a naive one
        "hold": dt.timedelta(minutes=15),
        "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "huge": 2**70,
        "blob": b"\x00\xff",
        "tags": {"b", "a"},
        "nested": {"rates": [Decimal("1.5"), dt.time(15, 0)], 7: "int key", "a.b": 1, "$set": 2},
    }
    safe = bson_safe(tricky)
    assert bson.decode(bson.encode(safe)) == safe
    assert safe["price"] == "129.00" and safe["check_in"] == "2026-12-24" and safe["token"].startswith("12345678")
    assert safe["tags"] == ["a", "b"] and safe["huge"] == str(2**70)

    row = record(collection=AUDIT_LOGS, document={"action": "update", "changes": tricky})
    row.refresh_from_db()
    assert row.document["changes"] == safe  # the JSON column keeps exactly what MongoDB will get
    relay()
    [line] = mongo_docs(mongo_client, AUDIT_LOGS)
    assert line["changes"] == safe


def test_record_refuses_an_unknown_collection():
    with pytest.raises(ValueError, match="Unknown MongoDB collection"):
        record(collection="audit_log", document={})


def test_tasks_and_commands_act_as_system(mongo_client, relay):
    UserFactory()
    relay()
    lines = mongo_docs(mongo_client, AUDIT_LOGS)
    assert lines and all(line["actor"] == {"type": "system", "id": None, "email": ""} for line in lines)
    assert {line["request_id"] for line in lines} == {""}


def test_explicit_line_inside_a_request_context_carries_it(mongo_client, relay):
    token = context.set_current(context.RequestContext(request_id="r-42", ip="198.51.100.1", user_agent="curl"))
    try:
        audit_log_record(action="exported", entity="reports.occupancy", entity_id=None, details={"rows": 12})
    finally:
        context.reset(token)
    relay()
    [line] = mongo_docs(mongo_client, AUDIT_LOGS)
    assert line["actor"]["type"] == "anonymous"
    assert (line["request_id"], line["ip"], line["details"]) == ("r-42", "198.51.100.1", {"rows": 12})


def test_relay_command_once_ships_the_backlog(mongo_client, capsys):
    UserFactory.create_batch(2)
    queued = waiting()
    call_command("audit_relay", "--once")
    assert f"shipped {queued}," in capsys.readouterr().out
    assert waiting() == 0


def test_relay_command_once_reports_mongodb_down_and_keeps_rows(mongo_down, capsys):
    UserFactory()
    queued = waiting()
    call_command("audit_relay", "--once")
    assert "MongoDB unavailable" in capsys.readouterr().err
    assert queued and waiting() == queued
