"""The one way tests call the API as someone: a DRF client carrying that user's access token (none: anonymous)."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from apps.accounts.tokens import tokens_for


def client_for(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
    return client
