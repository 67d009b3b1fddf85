from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.tokens import tokens_for


@pytest.fixture
def bearer():
    """An API client that speaks for `user` with a real JWT, as a mobile app would."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
        return client

    return make
