"""Shared fixtures: real PostgreSQL and Redis, MongoDB through mongomock behind the factory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import mongomock
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from rest_framework.test import APIClient

from apps.core import mongo
from tests.crashes import pytest_handlecrashitem, pytest_report_teststatus, pytest_terminal_summary  # noqa: F401


@pytest.fixture(autouse=True)
def mongo_client() -> Iterator[Any]:
    """A fresh in-memory MongoDB for each test, behind the real client factory."""
    client = mongomock.MongoClient()
    mongo.set_client(client)
    yield client
    mongo.set_client(None)


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request or an override in another one never leaks on."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """A transaction as long as the module, rolled back after its last test. A module fixture that asks for it
    builds its rows once; each test runs in a savepoint inside it (pytest-django's per-test atomic), so what
    one test changes is gone for the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Only this checkout's keys: other checkouts may be testing on the same Redis.
    cache.delete_pattern("*")  # throttles and cached permissions start empty
    return


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
