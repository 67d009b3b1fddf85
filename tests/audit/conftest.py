"""Helpers for the audit tests: the MongoDB collections as a reader sees them, a MongoDB that is down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from pymongo.errors import ServerSelectionTimeoutError

from apps.audit import registry
from apps.audit.models import OutboxEntry
from apps.audit.relay import relay_outbox
from apps.core import mongo
from tests.testapp.models import Widget


class DownMongo:
    """A client whose every call fails the way pymongo does when no server answers."""

    calls = 0

    def __getitem__(self, name: str) -> DownMongo:
        return self

    def __getattr__(self, name: str) -> DownMongo:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        DownMongo.calls += 1
        raise ServerSelectionTimeoutError("No servers found yet, Timeout: 2.0s")


def mongo_docs(client: Any, collection: str, **query: Any) -> list[dict[str, Any]]:
    return list(client[settings.MONGODB_DB][collection].find(query).sort("_id", 1))


def waiting() -> int:
    return OutboxEntry.objects.filter(shipped_at__isnull=True).count()


@pytest.fixture
def relay() -> Any:
    return relay_outbox


@pytest.fixture
def mongo_down(mongo_client: Any) -> Iterator[DownMongo]:
    down = DownMongo()
    mongo.set_client(down)
    yield down
    mongo.set_client(mongo_client)


@pytest.fixture
def audited_widget() -> Iterator[type[Widget]]:
    """The test-only Widget, audited the way a domain app registers its models."""
    registry.register(Widget)
    yield Widget
    registry.unregister(Widget)


@pytest.fixture(autouse=True)
def empty_outbox(request: pytest.FixtureRequest) -> None:
    """Each audit test starts from an empty outbox.

    Setting up the test database already leaves lines there (the role groups
    get their permissions after migrate, and that is audited).
    """
    if request.node.get_closest_marker("django_db"):
        OutboxEntry.objects.all().delete()
