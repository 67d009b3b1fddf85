"""Notifications: what a notify adds to a booking confirmation, push latency, and fan-out to a hotel's staff.

Run: .venv/bin/python -m hbs.devenv bench bench/notifications.py [--fan-out]

1. booking_confirm with its notifications (guest row and email task, the
   desk's rows, the hotel event, their audit lines, the pushes after commit)
   against the same confirm with the notify calls replaced by nothing.
2. Push latency: from the commit of a notify to a client connected to a real
   uvicorn, through the Redis channel layer (p50/p95 over 200 events).
3. Fan-out: one hotel event to 500 sockets connected to that hotel's staff group.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.bench")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.accounts.roles import FRONT_DESK  # noqa: E402
from apps.accounts.services import object_role_grant  # noqa: E402
from apps.accounts.tokens import tokens_for  # noqa: E402
from apps.bookings import services as booking_services  # noqa: E402
from apps.bookings.services import booking_confirm, booking_create  # noqa: E402
from apps.core.transactions import on_commit  # noqa: E402
from apps.hotels.models import Hotel, Room, RoomType  # noqa: E402
from apps.notifications.services import notify, push_hotel_event  # noqa: E402
from bench.common import serve  # noqa: E402

CONFIRMS = 200
PUSHES = 200
SOCKETS = 500
FANOUT_EVENTS = 20


def figures(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<44} p50 {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"
        f"   ({len(ordered)})",
        flush=True,
    )


def world() -> tuple[Hotel, RoomType, User, User]:
    run = timezone.now().strftime("%H%M%S%f")
    hotel = Hotel.objects.create(
        name=f"Bench {run}", slug=f"bench-notify-{run}", city="Lisbon", country="PT", time_zone="UTC", currency="EUR"
    )
    room_type = RoomType.objects.create(hotel=hotel, name="Double", base_rate="100.00", max_adults=2)
    Room.objects.bulk_create(
        Room(hotel=hotel, room_type=room_type, number=str(n), floor=1) for n in range(2 * CONFIRMS)
    )
    guest, _ = User.objects.get_or_create(email="bench-notified@hbs.test")
    desk, _ = User.objects.get_or_create(email=f"bench-desk-{run}@hbs.test")
    object_role_grant(user=desk, role=FRONT_DESK, scope=hotel)
    return hotel, room_type, guest, desk


def holds(hotel: Hotel, room_type: RoomType, guest: User, count: int) -> list:
    start = timezone.now().date() + timedelta(days=30)
    return [
        booking_create(
            guest=guest, hotel=hotel, room_type=room_type, check_in=start, check_out=start + timedelta(days=2), adults=2
        )
        for _ in range(count)
    ]


def confirm_cost(hotel: Hotel, room_type: RoomType, guest: User):  # type: ignore[no-untyped-def]
    with_notify = holds(hotel, room_type, guest, CONFIRMS)
    without = holds(hotel, room_type, guest, CONFIRMS)
    timed_with, timed_without = [], []
    for booking in with_notify:
        started = time.perf_counter()
        booking_confirm(booking=booking)
        timed_with.append((time.perf_counter() - started) * 1000)
    real = booking_services.booking_notify
    booking_services.booking_notify = lambda **kwargs: None  # type: ignore[assignment]
    try:
        for booking in without:
            started = time.perf_counter()
            booking_confirm(booking=booking)
            timed_without.append((time.perf_counter() - started) * 1000)
    finally:
        booking_services.booking_notify = real
    figures("booking_confirm, notify calls removed", timed_without)
    figures("booking_confirm with its notifications", timed_with)
    print(
        f"{'  what the notifications add (p50)':<44} "
        f"{statistics.median(timed_with) - statistics.median(timed_without):7.2f} ms",
        flush=True,
    )
    return with_notify[0]


def push_latency(port: int, guest: User) -> None:
    import websockets.sync.client as ws

    token = tokens_for(guest)["access"]
    received: list[float] = []
    with ws.connect(f"ws://127.0.0.1:{port}/ws/notifications/?token={token}") as socket:
        json.loads(socket.recv(timeout=10))  # the unread count on connect
        committed: list[float] = []

        def listen() -> None:
            for _ in range(PUSHES):
                json.loads(socket.recv(timeout=10))
                received.append(time.perf_counter())

        listener = threading.Thread(target=listen)
        listener.start()
        for index in range(PUSHES):
            with transaction.atomic():
                # Registered first, so it runs first after commit: the instant the row is committed.
                on_commit(lambda: committed.append(time.perf_counter()))
                notify(user=guest, kind="booking_held", title=f"Bench push {index}", email=False)
            time.sleep(0.005)
        listener.join(30)
    figures(
        "push: commit → connected client (Redis layer)",
        [(r - c) * 1000 for c, r in zip(committed, received, strict=True)],
    )


def fan_out(port: int, hotel: Hotel, desk: User, booking) -> None:  # type: ignore[no-untyped-def]
    import websockets

    token = tokens_for(desk)["access"]
    url = f"ws://127.0.0.1:{port}/ws/notifications/?token={token}"
    arrivals: list[list[float]] = [[] for _ in range(FANOUT_EVENTS)]
    sent: list[float] = []

    async def client(connected: list[int]) -> None:
        async with websockets.connect(url, open_timeout=30, max_queue=None) as socket:
            await socket.recv()  # the unread count: this socket is in the group now
            connected.append(1)
            for event in range(FANOUT_EVENTS):
                await socket.recv()
                arrivals[event].append(time.perf_counter())

    async def run() -> None:
        connected: list[int] = []
        clients = []
        # All at once, as after a deploy: the layer's pool waits for a free connection (apps/notifications/layers.py).
        clients += [asyncio.create_task(client(connected)) for _ in range(SOCKETS)]
        started = time.perf_counter()
        while len(connected) < len(clients):
            failed = [task for task in clients if task.done() and task.exception() is not None]
            if failed:
                raise RuntimeError(f"{len(failed)} sockets failed: {failed[0].exception()!r}")
            await asyncio.sleep(0.05)
        print(f"{SOCKETS} staff sockets connected at once in {time.perf_counter() - started:.1f} s", flush=True)
        loop = asyncio.get_running_loop()
        for _ in range(FANOUT_EVENTS):

            def publish() -> None:
                with transaction.atomic():
                    on_commit(lambda: sent.append(time.perf_counter()))
                    push_hotel_event(event="booking.changed", booking=booking)

            await loop.run_in_executor(None, publish)
            await asyncio.sleep(0.2)
        await asyncio.wait_for(asyncio.gather(*clients), 120)

    asyncio.run(run())
    to_last = [(max(times) - start) * 1000 for start, times in zip(sent, arrivals, strict=True)]
    each = [(arrival - start) * 1000 for start, times in zip(sent, arrivals, strict=True) for arrival in times]
    figures(f"fan-out: commit → each of {SOCKETS} staff sockets", each)
    figures(f"fan-out: commit → the last of {SOCKETS} sockets", to_last)


def main() -> None:
    only_fan_out = sys.argv[1:] == ["--fan-out"]  # the third part alone
    hotel, room_type, guest, desk = world()
    booking = holds(hotel, room_type, guest, 1)[0] if only_fan_out else confirm_cost(hotel, room_type, guest)
    client, stop = serve()
    try:
        port = client.connection.port
        if not only_fan_out:
            push_latency(port, guest)
        fan_out(port, hotel, desk, booking)
    finally:
        stop()


if __name__ == "__main__":
    main()
