"""MongoDB factory, the websocket over the Redis channel layer, and a task through the real backend."""

from __future__ import annotations

import mongomock
import pytest
from asgiref.sync import async_to_sync
from channels.testing.websocket import WebsocketCommunicator
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from apps.core import mongo
from apps.core.management.commands.mongo_init import INDEXES


def test_factory_builds_mongomock_client_for_mongomock_url():
    mongo.set_client(None)
    with override_settings(MONGODB_URL="mongomock://localhost"):
        client = mongo.get_client()
        assert isinstance(client, mongomock.MongoClient)
        assert mongo.get_client() is client  # one client per process
        mongo.ping()


def test_factory_refuses_without_url():
    mongo.set_client(None)
    with override_settings(MONGODB_URL=""):
        assert not mongo.is_configured()
        with pytest.raises(mongo.MongoNotConfigured):
            mongo.get_client()


def test_factory_builds_pymongo_client_with_short_timeouts():
    from pymongo import MongoClient

    mongo.set_client(None)
    with override_settings(MONGODB_URL="mongodb://127.0.0.1:1", MONGODB_TIMEOUT_MS=300):
        client = mongo.get_client()
        assert isinstance(client, MongoClient)
        assert client.options.server_selection_timeout == 0.3
        client.close()
    mongo.set_client(None)


def test_mongo_init_creates_collections_and_indexes_idempotently(mongo_client):
    call_command("mongo_init")
    call_command("mongo_init")
    database = mongo.get_database()
    assert set(mongo.COLLECTIONS) <= set(database.list_collection_names())
    for collection, indexes in INDEXES.items():
        names = set(database[collection].index_information())
        assert {options["name"] for _, options in indexes} <= names
    unique = database["content_docs"].index_information()["slug_revision"]
    assert unique.get("unique") is True


def test_websocket_ping_pong_through_the_redis_channel_layer():
    from hbs.asgi import application

    async def exchange() -> dict:
        communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[(b"origin", b"http://127.0.0.1")])
        connected, _ = await communicator.connect()
        assert connected
        await communicator.send_json_to({"type": "ping", "echo": 7})
        reply = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return reply

    assert async_to_sync(exchange)() == {"type": "pong", "echo": 7}


def test_websocket_from_a_foreign_origin_is_refused():
    from hbs.asgi import application

    async def attempt() -> bool:
        communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[(b"origin", b"https://evil.test")])
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(attempt)() is False


@pytest.mark.django_db(transaction=True)
def test_task_runs_through_the_database_backend_and_worker():
    from django_tasks_db.models import DBTaskResult

    from apps.core.tasks import send_email

    result = send_email.using(backend="db").enqueue(
        to=["guest@example.com"], subject="Your stay", text="See you soon", html="<p>Hi</p>"
    )
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY"
    assert mail.outbox == []  # nothing sent until a worker picks it up

    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "db", verbosity=0)

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your stay"
    assert mail.outbox[0].alternatives[0][0] == "<p>Hi</p>"
