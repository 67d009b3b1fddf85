from __future__ import annotations

import pytest

from apps.accounts.services import object_role_grant
from tests.accounts.conftest import bearer  # noqa: F401 (shared fixture)
from tests.factories import UserFactory


@pytest.fixture
def staff_of():
    """A user holding `role` at each of `hotels`."""

    def make(role: str, *hotels, **fields):
        user = UserFactory(**fields)
        for hotel in hotels:
            object_role_grant(user=user, role=role, scope=hotel)
        return user

    return make
