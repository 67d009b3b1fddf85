"""Staff of a small hotel, and a listener on the Redis channel layer for what the notify service pushes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.accounts.roles import ACCOUNTANT, FRONT_DESK, HOTEL_MANAGER
from tests.bookings.conftest import SmallHotel, commit, make_hotel  # noqa: F401  (commit: a fixture)
from tests.clients import client_for  # noqa: F401
from tests.payments.conftest import hold, staff  # noqa: F401


@pytest.fixture
def place(db) -> SmallHotel:
    return make_hotel(rooms=2)


@pytest.fixture
def desk(place, django_capture_on_commit_callbacks) -> Any:
    return staff(place, FRONT_DESK, django_capture_on_commit_callbacks)


@pytest.fixture
def manager(place, django_capture_on_commit_callbacks) -> Any:
    return staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)


@pytest.fixture
def accountant(place, django_capture_on_commit_callbacks) -> Any:
    return staff(place, ACCOUNTANT, django_capture_on_commit_callbacks)


class Listener:
    """A channel of the real (Redis) layer joined to some groups: what the sockets of those groups would get."""

    def __init__(self, groups: list[str]) -> None:
        self.layer = get_channel_layer()
        self.groups = groups
        self.channel = async_to_sync(self.layer.new_channel)()
        for group in groups:
            async_to_sync(self.layer.group_add)(group, self.channel)

    def messages(self, wait: float = 0.3) -> list[dict[str, Any]]:
        async def drain() -> list[dict[str, Any]]:
            found = []
            while True:
                try:
                    found.append(await asyncio.wait_for(self.layer.receive(self.channel), wait))
                except TimeoutError:
                    return found

        return async_to_sync(drain)()

    def close(self) -> None:
        for group in self.groups:
            async_to_sync(self.layer.group_discard)(group, self.channel)


@pytest.fixture
def listen() -> Any:
    made: list[Listener] = []

    def start(*groups: str) -> Listener:
        listener = Listener(list(groups))
        made.append(listener)
        return listener

    yield start
    for listener in made:
        listener.close()


Capture = Callable[..., Any]
