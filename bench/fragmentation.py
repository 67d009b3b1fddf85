"""Room-nights lost to room assignment: the old first-fit rule against the booking engine, on PostgreSQL.

Run: .venv/bin/python -m hbs.devenv bench bench/fragmentation.py
(FRAG_NIGHTS changes the season, default 180 nights.)

One room type of 10 rooms (stays of 1-4 nights) and one of 40 (1-10 nights), 180 nights, requests
in random order at 80, 100 and 130 % of the rooms' nights. Each request goes through booking_create on
the real database (the engine: a room free for the whole stay, else future stays re-arranged). Beside
it, on the same requests: the old rule (the first room free for the whole stay, else refused) and the
count alone (accepted when every night has a room left), the most any assignment can sell.
"""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta

from common import report  # noqa: F401  (sets Django up on the bench database)

NIGHTS = int(os.environ.get("FRAG_NIGHTS", "180"))
CASES = [(10, 4), (40, 10)]  # rooms, longest stay
DEMANDS = [0.8, 1.0, 1.3]
SEED = 16


def requests_for(*, rooms: int, longest: int, demand: float, rng: random.Random) -> list[tuple[int, int]]:
    """Random stays (first night, nights) inside the season until they ask `demand` times the rooms' nights."""
    wanted, asked, stays = demand * rooms * NIGHTS, 0, []
    while asked < wanted:
        nights = rng.randint(1, longest)
        first = rng.randint(0, NIGHTS - nights)
        stays.append((first, nights))
        asked += nights
    return stays


def first_fit(rooms: int, stays: list[tuple[int, int]]) -> int:
    """The old rule: the first room free for every night of the stay, else refused. Room-nights sold."""
    taken = [[False] * NIGHTS for _ in range(rooms)]
    sold = 0
    for first, nights in stays:
        for room in taken:
            if not any(room[first : first + nights]):
                room[first : first + nights] = [True] * nights
                sold += nights
                break
    return sold


def by_count(rooms: int, stays: list[tuple[int, int]]) -> int:
    """Accepted when every night of the stay has a room left: the most any room assignment can sell."""
    used = [0] * NIGHTS
    sold = 0
    for first, nights in stays:
        if all(used[night] < rooms for night in range(first, first + nights)):
            for night in range(first, first + nights):
                used[night] += 1
            sold += nights
    return sold


def engine(rooms: int, stays: list[tuple[int, int]]) -> tuple[int, int, float]:
    """Through booking_create on PostgreSQL: room-nights sold, stays moved, seconds."""
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.audit.models import OutboxEntry
    from apps.bookings.services import booking_create
    from apps.core.errors import RoomUnavailable
    from apps.hotels.models import Hotel, Room, RoomType
    from apps.hotels.stays import hotel_today

    if Hotel.objects.count() < 2:
        call_command("seed_demo", "--force", verbosity=0)
    hotel = Hotel.objects.order_by("pk")[1]  # the second demo hotel: the first is the other benches' big hotel
    tag = f"frag-{rooms}-{time.time_ns()}"
    room_type = RoomType.objects.create(hotel=hotel, name=tag[:60], base_rate="100.00", max_adults=2, max_children=0)
    for number in range(rooms):
        Room.objects.create(hotel=hotel, room_type=room_type, number=f"F{time.time_ns() % 10**6}{number}"[:10])
    guest, _ = User.objects.get_or_create(email="fragmentation@bench.hbs.test", defaults={"first_name": "Bench"})
    start = hotel_today(hotel) + timedelta(days=7)
    moves_before = OutboxEntry.objects.filter(collection="booking_logs", document__event="room_moved").count()
    sold, started = 0, time.perf_counter()
    for first, nights in stays:
        try:
            booking_create(
                guest=guest,
                hotel=hotel,
                room_type=room_type,
                check_in=start + timedelta(days=first),
                check_out=start + timedelta(days=first + nights),
                adults=1,
            )
            sold += nights
        except RoomUnavailable:
            pass
    seconds = time.perf_counter() - started
    moves = OutboxEntry.objects.filter(collection="booking_logs", document__event="room_moved").count() - moves_before
    return sold, moves, seconds


def main() -> None:
    print(f"{NIGHTS} nights; room-nights sold (share of the rooms' nights)")
    columns = ("rooms", "demand", "requests", "first fit", "count allows", "engine", "lost by first fit", "moves")
    widths = (5, 6, 8, 16, 16, 16, 18, 6)
    print(" ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True)), f"{'ms/request':>10}")
    rng = random.Random(SEED)
    for rooms, longest in CASES:
        capacity = rooms * NIGHTS
        for demand in DEMANDS:
            stays = requests_for(rooms=rooms, longest=longest, demand=demand, rng=rng)
            old, most = first_fit(rooms, stays), by_count(rooms, stays)
            new, moves, seconds = engine(rooms, stays)

            def share(sold: int, capacity: int = capacity) -> str:
                return f"{sold:>6} ({sold / capacity:6.1%})"

            lost = (most - old) / most if most else 0.0
            print(
                f"{rooms:>5} {demand:>6.0%} {len(stays):>8} {share(old):>16} {share(most):>16} {share(new):>16} "
                f"{lost:>17.1%} {moves:>6} {seconds * 1000 / len(stays):>10.1f}"
            )
            if new != most:
                print(f"      the engine sold {most - new} room-nights fewer than the count allows")


if __name__ == "__main__":
    main()
