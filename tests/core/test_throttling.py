"""The API's general request limits: per client address when anonymous, per user when signed in."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.tokens import tokens_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/amenities/"


@pytest.fixture(autouse=True)
def tight_rates(settings):
    # Per day, so a test never straddles the window's end.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/day", "user": "5/day"}}


def test_an_anonymous_client_past_its_rate_gets_429_in_the_error_shape_with_retry_after():
    client = APIClient()
    assert [client.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    response = client.get(URL)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 86400


def test_a_signed_in_user_counts_apart_from_the_address_and_from_other_users():
    anonymous = APIClient()
    assert [anonymous.get(URL).status_code for _ in range(4)][-1] == 429  # this address is used up
    for user in (UserFactory(), UserFactory()):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
        assert [client.get(URL).status_code for _ in range(6)] == [200] * 5 + [429]
