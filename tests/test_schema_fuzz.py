"""Schemathesis fuzzes every operation of our OpenAPI schema in-process: no 5xx, responses match.

It grows with the API: each new endpoint is fuzzed here without a new line.
HBS_FUZZ_EXAMPLES=300 make test ARGS=tests/test_schema_fuzz.py fuzzes deeper.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hbs.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the test's transaction-bound connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("HBS_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_api_operation_conforms(case):
    # Every check but one: business rules (a used reset link, a weak password)
    # rightly refuse input that the schema alone cannot tell is wrong.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
