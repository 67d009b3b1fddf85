"""Shared fixtures: real PostgreSQL and Redis, MongoDB through mongomock behind the factory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import mongomock
import pytest
from django.conf import settings
from django.core.cache import cache
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


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Only this checkout's keys: other checkouts may be testing on the same Redis.
    cache.delete_pattern("*")  # throttles and cached permissions start empty
    return


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
