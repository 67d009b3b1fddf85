"""Fan-out: one hotel event to 500 sockets of that hotel's staff, through the real Redis channel layer.

Run: .venv/bin/python -m hbs.devenv bench bench/fanout.py [--sockets 500] [--events 20]

500 Channels communicators connect at once, in this one process and its one event
loop, to the real ASGI application (hbs.asgi: the token auth, the consumer, the
layer of settings.CHANNEL_LAYERS on Redis): what one server process holding 500
staff sockets does. Then `push_hotel_event` commits an event from a worker thread,
as a request would, 20 times; each figure runs from the event's commit (an
on_commit callback registered first) until the socket has the message: through
the process's pusher, Redis (one group_send: the layer stores one message for all
of this process's channels), the layer's receive, 500 consumers' send_json, and
each communicator's queue. `--stock-layer` runs the same on channels_redis's own
layer with redis-py's pool defaults (what failed before). Memory: this process's RSS before and after the
sockets connected, and Redis's. The same fan-out over a real uvicorn and 500
websocket clients is the third part of bench/notifications.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import timedelta
from types import SimpleNamespace

import psutil
from common import load
from django.db import transaction
from django.utils import timezone

EVENTS = 20
SOCKETS = 500


def figures(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<46} p50 {statistics.median(ordered):8.2f} ms   p95 {p95:8.2f} ms   max {ordered[-1]:8.2f} ms"
        f"   ({len(ordered)})   load {load()}",
        flush=True,
    )


def staff_of_a_hotel():  # type: ignore[no-untyped-def]
    from apps.accounts.models import User
    from apps.accounts.roles import FRONT_DESK
    from apps.accounts.services import object_role_grant
    from apps.hotels.models import Hotel

    hotel, _ = Hotel.objects.get_or_create(
        slug="bench-fanout",
        defaults={"name": "Bench Fan-out", "city": "Lisbon", "country": "PT", "time_zone": "UTC", "currency": "EUR"},
    )
    desk, _ = User.objects.get_or_create(email="bench-fanout-desk@hbs.test", defaults={"first_name": "Bench"})
    object_role_grant(user=desk, role=FRONT_DESK, scope=hotel)
    return hotel, desk


def booking_of(hotel) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """What a hotel event says of a booking (apps.notifications.services.BookingFacts), without a booking row."""
    start = timezone.now().date() + timedelta(days=30)
    return SimpleNamespace(
        pk=1, reference="HBS-BENCH1", status="confirmed", check_in=start, check_out=start + timedelta(days=2),
        adults=2, children=0, hotel_id=hotel.pk, room_type_id=1, guest_id=1, room=None, guest=None,
    )  # fmt: skip


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def redis_used_mb() -> float:
    from django_redis import get_redis_connection

    return get_redis_connection("default").info("memory")["used_memory"] / 2**20


async def run(sockets: int, events: int) -> None:
    from channels.layers import get_channel_layer
    from channels.testing import WebsocketCommunicator

    from apps.accounts.tokens import tokens_for
    from apps.core.transactions import on_commit
    from apps.notifications.services import hotel_group, push_hotel_event
    from hbs.asgi import application

    hotel, desk = await asyncio.to_thread(staff_of_a_hotel)
    booking = booking_of(hotel)
    token = await asyncio.to_thread(lambda: tokens_for(desk)["access"])
    layer = get_channel_layer()
    # Members an earlier run could not remove (the stock layer's failed discards) would count as sockets here.
    await layer.connection(0).delete(layer._group_key(hotel_group(hotel.pk)))
    before, redis_before = rss_mb(), await asyncio.to_thread(redis_used_mb)

    clients = [WebsocketCommunicator(application, f"/ws/notifications/?token={token}") for _ in range(sockets)]
    started = time.perf_counter()
    joined = await asyncio.gather(*(client.connect(timeout=120) for client in clients), return_exceptions=True)
    failed = [result for result in joined if isinstance(result, BaseException) or not result[0]]
    await asyncio.gather(*(client.receive_json_from(timeout=60) for client in clients))  # the unread count
    members = await layer.connection(0).zcard(layer._group_key(hotel_group(hotel.pk)))
    print(
        f"{sockets} sockets connected at once in {time.perf_counter() - started:.1f} s, {len(failed)} failed;"
        f" {members} in the hotel's group",
        flush=True,
    )
    after, redis_after = rss_mb(), await asyncio.to_thread(redis_used_mb)
    print(
        f"memory: this process {before:.0f} → {after:.0f} MB ({(after - before) * 1024 / sockets:.0f} KB a socket),"
        f" Redis {redis_before:.1f} → {redis_after:.1f} MB",
        flush=True,
    )

    to_last: list[float] = []
    each: list[float] = []
    cpu = 0.0  # this process's CPU time while an event fans out: what the machine's other load does not inflate
    for _ in range(events):
        committed: list[float] = []

        def publish(stamps: list[float]) -> None:
            with transaction.atomic():
                on_commit(lambda: stamps.append(time.perf_counter()))  # registered first: runs first
                push_hotel_event(event="booking.changed", booking=booking)  # type: ignore[arg-type]

        async def heard(client: WebsocketCommunicator) -> float:
            await client.receive_json_from(timeout=60)
            return time.perf_counter()

        waiting = [asyncio.create_task(heard(client)) for client in clients]
        cpu_started = time.process_time()
        await asyncio.to_thread(publish, committed)
        arrivals = await asyncio.gather(*waiting)
        cpu += time.process_time() - cpu_started
        each += [(arrival - committed[0]) * 1000 for arrival in arrivals]
        to_last.append((max(arrivals) - committed[0]) * 1000)
        await asyncio.sleep(0.2)
    figures(f"commit → each of {sockets} sockets", each)
    figures(f"commit → the last of {sockets} sockets", to_last)
    print(
        f"CPU time of this process per event: {cpu * 1000 / events:.1f} ms"
        f" ({cpu * 1e6 / events / sockets:.0f} µs a socket: consumer, layer and communicator together)",
        flush=True,
    )
    print(f"memory after {events} events: this process {rss_mb():.0f} MB", flush=True)

    started = time.perf_counter()
    left = await asyncio.gather(*(client.disconnect(timeout=60) for client in clients), return_exceptions=True)
    errors = [result for result in left if isinstance(result, BaseException)]
    members = await layer.connection(0).zcard(layer._group_key(hotel_group(hotel.pk)))
    print(
        f"{sockets} sockets left at once in {time.perf_counter() - started:.1f} s, {len(errors)} errors;"
        f" {members} left in the hotel's group",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=SOCKETS)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument(
        "--stock-layer", action="store_true", help="channels_redis's own layer, with redis-py's pool defaults"
    )
    arguments = parser.parse_args()
    if arguments.stock_layer:
        from django.conf import settings

        settings.CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.core.RedisChannelLayer"
    from channels.layers import get_channel_layer

    print(f"layer {type(get_channel_layer()).__module__}", flush=True)
    print(f"start {timezone.now():%H:%M:%S}, load {load()}", flush=True)
    asyncio.run(run(arguments.sockets, arguments.events))


if __name__ == "__main__":
    main()
