"""Operating the relay: /readyz backlog, back-off while MongoDB is down, pruning, and two relays at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit import backoff
from apps.audit.models import OutboxEntry
from apps.audit.relay import prune_shipped, relay_outbox
from apps.audit.services import AUDIT_LOGS, record
from apps.audit.tasks import relay_outbox_task
from apps.core import mongo
from tests.audit.conftest import DownMongo, mongo_docs, waiting
from tests.concurrency import race

pytestmark = pytest.mark.django_db


def test_readyz_shows_the_outbox_backlog_and_its_age(relay, settings):
    settings.READINESS_TOKEN = "the-monitors-token"  # the figures are details: staff or the token only
    monitor = Client(HTTP_X_READINESS_TOKEN="the-monitors-token")
    row = record(collection=AUDIT_LOGS, document={"action": "create"})
    OutboxEntry.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(seconds=90))
    record(collection=AUDIT_LOGS, document={"action": "update"})
    assert Client().get("/readyz").json()["checks"]["outbox"] == {"state": "up"}
    outbox = monitor.get("/readyz").json()["checks"]["outbox"]
    assert outbox["state"] == "up"
    assert outbox["backlog"] == waiting() == 2
    assert 89 <= outbox["oldest_age_seconds"] < 200

    relay()
    outbox = monitor.get("/readyz").json()["checks"]["outbox"]
    assert (outbox["backlog"], outbox["oldest_age_seconds"]) == (0, 0)


def test_readyz_marks_a_stuck_outbox_down_but_stays_ready(settings):
    settings.AUDIT_OUTBOX_STALE_SECONDS = 60
    row = record(collection=AUDIT_LOGS, document={"action": "create"})
    OutboxEntry.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["outbox"]["state"] == "down"


def test_scheduled_relay_backs_off_while_mongodb_is_down_then_ships(mongo_client):
    record(collection=AUDIT_LOGS, document={"action": "create"})
    mongo.set_client(DownMongo())
    DownMongo.calls = 0
    assert relay_outbox_task.call()["shipped"] == 0
    assert DownMongo.calls == 1
    assert relay_outbox_task.call()["skipped"] is True  # backing off: MongoDB is not even asked
    assert DownMongo.calls == 1

    mongo.set_client(mongo_client)
    backoff.succeeded()  # the pause is over
    assert relay_outbox_task.call()["shipped"] == 1
    assert not backoff.should_wait()


def test_pruning_keeps_waiting_rows_and_recent_shipped_ones(relay):
    old, recent = (record(collection=AUDIT_LOGS, document={"n": n}) for n in range(2))
    relay()
    OutboxEntry.objects.filter(pk=old.pk).update(shipped_at=timezone.now() - dt.timedelta(days=30))
    unshipped = record(collection=AUDIT_LOGS, document={"n": 3})
    OutboxEntry.objects.filter(pk=unshipped.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert prune_shipped() == 1
    assert set(OutboxEntry.objects.values_list("pk", flat=True)) >= {recent.pk, unshipped.pk}
    assert not OutboxEntry.objects.filter(pk=old.pk).exists()


def test_a_refused_document_does_not_hold_up_the_others(mongo_client, relay):
    first = record(collection=AUDIT_LOGS, document={"n": 1})
    record(collection=AUDIT_LOGS, document={"n": 2})
    # A document MongoDB refuses for a reason other than a duplicate: a unique index says no.
    mongo_client["hbs"][AUDIT_LOGS].create_index("n", unique=True)
    mongo_client["hbs"][AUDIT_LOGS].insert_one({"_id": -1, "n": 1})
    result = relay(batch_size=1)
    assert (result.shipped, result.failed) == (1, 1)
    refused = OutboxEntry.objects.get(pk=first.pk)
    assert refused.shipped_at is None and refused.attempts == 1 and refused.last_error


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_never_ship_a_row_twice(mongo_client):
    OutboxEntry.objects.bulk_create(OutboxEntry(collection=AUDIT_LOGS, document={"n": n}) for n in range(2_000))
    shipped = [result.shipped for result in race([lambda: relay_outbox(batch_size=100)] * 2)]
    # A row shipped twice would count twice (a duplicate key counts as shipped): the sum proves it did not happen.
    assert sum(shipped) == 2_000
    assert len(mongo_docs(mongo_client, AUDIT_LOGS)) == 2_000
    assert waiting() == 0


def test_mongodb_refusing_us_keeps_the_rows_and_stops_the_run(mongo_client, relay):
    from pymongo.errors import OperationFailure

    class RefusingMongo(DownMongo):
        def __call__(self, *args, **kwargs):
            raise OperationFailure("Authentication failed.", code=18)

    for n in range(3):
        record(collection=AUDIT_LOGS, document={"n": n})
    mongo.set_client(RefusingMongo())
    result = relay(batch_size=1)
    assert result.unavailable and result.batches == 1  # one try, not one per row
    assert waiting() == 3
    assert "Authentication failed" in OutboxEntry.objects.order_by("pk").first().last_error
