"""The websocket /ws/notifications/ through Channels' communicator, and once through a real ASGI server (uvicorn)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing.websocket import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from apps.accounts.tokens import tokens_for
from apps.bookings.services import booking_confirm
from apps.notifications.models import Notification
from apps.notifications.selectors import notification_item
from apps.notifications.services import push_to_user
from tests.factories import TEST_PASSWORD, UserFactory
from tests.notifications.conftest import hold
from tests.notifications.server import running_asgi_server

ORIGIN = (b"origin", b"http://127.0.0.1")
PATH = "/ws/notifications/"


def session_cookie(user: Any) -> bytes:
    client = Client()
    assert client.login(email=user.email, password=TEST_PASSWORD)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect(path: str = PATH, headers: list[tuple[bytes, bytes]] | None = None) -> WebsocketCommunicator:
    from hbs.asgi import application

    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def closed_with(communicator: WebsocketCommunicator) -> int:
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return output.get("code")


@pytest.mark.django_db(transaction=True)
def test_session_cookie_from_the_site_connects_and_hears_the_unread_count():
    user = UserFactory()
    Notification.objects.create(user=user, kind="booking_confirmed", title="Booking confirmed: HBS-AAAAAA")
    cookie = session_cookie(user)

    async def run() -> dict:
        communicator = await connect(headers=[ORIGIN, (b"cookie", cookie)])
        first = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first

    assert async_to_sync(run)() == {"type": "unread_count", "count": 1}


@pytest.mark.django_db(transaction=True)
def test_an_app_token_connects_without_an_origin_header():
    user = UserFactory()
    token = tokens_for(user)["access"]

    async def run() -> dict:
        communicator = await connect(f"{PATH}?token={token}")
        first = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first

    assert async_to_sync(run)() == {"type": "unread_count", "count": 0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "how",
    ["nobody", "bad token", "refresh token as access", "cookie from a foreign origin", "cookie without origin"],
)
def test_without_authentication_the_socket_is_closed_with_4401(how: str):
    user = UserFactory()
    path, headers = PATH, [ORIGIN]
    if how == "bad token":
        path = f"{PATH}?token=not-a-jwt"
    elif how == "refresh token as access":
        path = f"{PATH}?token={tokens_for(user)['refresh']}"
    elif how == "cookie from a foreign origin":
        headers = [(b"origin", b"https://evil.test"), (b"cookie", session_cookie(user))]
    elif how == "cookie without origin":
        headers = [(b"cookie", session_cookie(user))]

    async def run() -> int:
        communicator = await connect(path, headers)
        code = await closed_with(communicator)
        await communicator.wait()
        return code

    assert async_to_sync(run)() == 4401


@pytest.mark.django_db(transaction=True)
def test_a_user_gets_only_their_own_pushes():
    alice, bob = UserFactory(), UserFactory()
    alice_token, bob_token = tokens_for(alice)["access"], tokens_for(bob)["access"]

    async def run() -> tuple[dict, bool]:
        alice_socket = await connect(f"{PATH}?token={alice_token}")
        bob_socket = await connect(f"{PATH}?token={bob_token}")
        await alice_socket.receive_json_from(timeout=5)
        await bob_socket.receive_json_from(timeout=5)
        message = {"type": "notification", "notification": {"id": 1, "title": "for alice"}}
        await asyncio.get_running_loop().run_in_executor(None, lambda: push_to_user(user_id=alice.pk, message=message))
        received = await alice_socket.receive_json_from(timeout=5)
        bob_heard = not await bob_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()
        return received, bob_heard

    received, bob_heard = async_to_sync(run)()
    assert received["notification"]["title"] == "for alice"
    assert bob_heard is False


@pytest.mark.django_db(transaction=True)
def test_a_booking_confirmation_is_pushed_to_the_guest_and_the_hotels_desk(django_capture_on_commit_callbacks):
    from apps.accounts.roles import FRONT_DESK
    from tests.bookings.conftest import make_hotel
    from tests.notifications.conftest import staff

    place = make_hotel()
    desk = staff(place, FRONT_DESK, django_capture_on_commit_callbacks)
    booking = hold(place)
    guest_token, desk_token = tokens_for(booking.guest)["access"], tokens_for(desk)["access"]

    async def run() -> tuple[dict, list[dict]]:
        guest_socket = await connect(f"{PATH}?token={guest_token}")
        desk_socket = await connect(f"{PATH}?token={desk_token}")
        await guest_socket.receive_json_from(timeout=5)
        await desk_socket.receive_json_from(timeout=5)
        await asyncio.get_running_loop().run_in_executor(None, lambda: booking_confirm(booking=booking))
        pushed = await guest_socket.receive_json_from(timeout=5)
        desk_heard = [await desk_socket.receive_json_from(timeout=5) for _ in range(2)]
        await guest_socket.disconnect()
        await desk_socket.disconnect()
        return pushed, desk_heard

    pushed, desk_heard = async_to_sync(run)()
    row = Notification.objects.get(user=booking.guest, kind="booking_confirmed")
    assert pushed == {"type": "notification", "notification": json.loads(json.dumps(notification_item(row)))}
    assert {message["type"] for message in desk_heard} == {"notification", "hotel_event"}
    event = next(message for message in desk_heard if message["type"] == "hotel_event")
    assert event["event"] == "booking.confirmed" and event["booking"]["reference"] == booking.reference


# --- Through a real ASGI server --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_through_uvicorn_session_token_4401_isolation_and_a_push_after_confirmation():
    import websockets.sync.client as ws

    from tests.bookings.conftest import make_hotel

    place = make_hotel()
    booking = hold(place)
    stranger = UserFactory()
    guest_token = tokens_for(booking.guest)["access"]
    server_lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            server_lines.append(record.getMessage())

    collector = Collect()
    logging.getLogger("uvicorn").addHandler(collector)

    with running_asgi_server() as base:
        socket_url = base.replace("http://", "ws://") + PATH
        from websockets.exceptions import ConnectionClosed

        with (
            ws.connect(socket_url, additional_headers={"Origin": base}) as anonymous,
            pytest.raises(ConnectionClosed) as closed,
        ):
            anonymous.recv(timeout=5)
        assert closed.value.rcvd.code == 4401

        cookie = session_cookie(stranger).decode()
        with (
            ws.connect(socket_url, additional_headers={"Origin": base, "Cookie": cookie}) as by_session,
            ws.connect(f"{socket_url}?token={guest_token}") as by_token,
        ):
            assert json.loads(by_session.recv(timeout=5)) == {"type": "unread_count", "count": 0}
            assert json.loads(by_token.recv(timeout=5))["type"] == "unread_count"
            booking_confirm(booking=booking)  # commits: the push follows at once
            pushed = json.loads(by_token.recv(timeout=5))
            assert pushed["type"] == "notification"
            assert pushed["notification"]["title"] == f"Booking confirmed: {booking.reference}"
            with pytest.raises(TimeoutError):
                by_session.recv(timeout=0.5)  # the stranger hears nothing
    logging.getLogger("uvicorn").removeHandler(collector)
    # The server logged the connections, never the token.
    logged = "\n".join(server_lines)
    assert "WebSocket /ws/notifications/" in logged
    assert guest_token not in logged


# --- The Redis layer with many sockets in one process -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_push_reaches_sockets_quiet_for_longer_than_the_layers_blocking_receive():
    # redis-py's default read timeout (5 s) equals the receive's blocking pop: quiet sockets lost every push.
    from channels.layers import get_channel_layer

    user = UserFactory()
    token = tokens_for(user)["access"]
    layer = get_channel_layer()

    async def run() -> list[dict]:
        sockets = [await connect(f"{PATH}?token={token}") for _ in range(3)]
        for socket in sockets:
            await socket.receive_json_from(timeout=5)
        await asyncio.sleep(layer.brpop_timeout + 1)
        await layer.group_send(f"notifications.user.{user.pk}", {"type": "notification.push", "message": {"n": 1}})
        heard = [await socket.receive_json_from(timeout=5) for socket in sockets]
        for socket in sockets:
            await socket.disconnect()
        return heard

    assert async_to_sync(run)() == [{"n": 1}] * 3


@pytest.mark.django_db(transaction=True)
def test_a_hundred_and_fifty_sockets_leave_their_groups_at_once_without_a_pool_error():
    # redis-py's pool fails the 101st command in flight; the layer's pool waits for a free connection instead.
    from channels.layers import get_channel_layer

    user = UserFactory()
    token = tokens_for(user)["access"]
    layer = get_channel_layer()
    group = f"notifications.user.{user.pk}"

    async def run() -> tuple[list[Any], int]:
        from hbs.asgi import application

        sockets = [WebsocketCommunicator(application, f"{PATH}?token={token}") for _ in range(150)]
        joined = await asyncio.gather(*(socket.connect(timeout=60) for socket in sockets))
        assert all(accepted for accepted, _ in joined)
        await asyncio.gather(*(socket.receive_json_from(timeout=30) for socket in sockets))
        await layer.group_send(group, {"type": "notification.push", "message": {"n": 1}})
        heard = await asyncio.gather(*(socket.receive_json_from(timeout=30) for socket in sockets))
        left = await asyncio.gather(*(socket.disconnect() for socket in sockets), return_exceptions=True)
        errors = [result for result in left if isinstance(result, BaseException)]
        remaining = await layer.connection(0).zcard(layer._group_key(group))
        return heard + errors, remaining

    heard, remaining = async_to_sync(run)()
    assert heard == [{"n": 1}] * 150  # and no error among the disconnects
    assert remaining == 0  # every socket left the group
