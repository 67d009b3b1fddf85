"""The availability query's plan and time on a hotel with 300 rooms and a few thousand bookings.

Run from the project root (PostgreSQL on DATABASE_URL, default postgres://postgres@127.0.0.1:5432):

    .venv/bin/python bench/availability_plan.py [--rooms 300] [--bookings-per-room 15] [--runs 200]

It creates a throwaway database (bench_hbs_availability), fills it, prints
EXPLAIN (ANALYZE, BUFFERS) of the rooms-left query and the timings of the whole
`availability_search` (rooms left + overrides + offers + quotes), then drops it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.test")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-but-long-enough-for-hmac-sha256")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_DB = "bench_hbs_availability"
ROOM_TYPES = [
    ("Double", "120.00", 2, 1),
    ("Twin", "110.00", 2, 0),
    ("Family", "175.00", 3, 2),
    ("Suite", "240.00", 2, 1),
]


def build(*, rooms: int, bookings_per_room: int) -> tuple[object, int]:
    from apps.accounts.models import User
    from apps.bookings.models import Booking, new_reference
    from apps.hotels.models import Hotel, RateOverride, Room, RoomType
    from apps.offers.models import Offer

    rng = random.Random(7)
    guest = User.objects.create_user(email="bench@hbs.test", password="bench-password-2026")
    hotel = Hotel.objects.create(
        name="Bench Hotel", slug="bench", city="Lisbon", country="PT", time_zone="Europe/Lisbon", currency="EUR",
        tax_rate=Decimal("0.06"),
    )  # fmt: skip
    types = [
        RoomType.objects.create(
            hotel=hotel, name=name, base_rate=Decimal(rate), max_adults=adults, max_children=children, base_occupancy=2
        )
        for name, rate, adults, children in ROOM_TYPES
    ]
    today = timezone.now().date()
    for room_type in types:
        RateOverride.objects.create(
            room_type=room_type,
            name="Season",
            starts_on=today,
            ends_on=today + timedelta(days=120),
            price=Decimal("150"),
        )
        RateOverride.objects.create(
            room_type=room_type, name="Weekends", starts_on=today, ends_on=today + timedelta(days=365),
            weekdays=[4, 5], adjustment=Decimal("25"),
        )  # fmt: skip
    Offer.objects.create(hotel=hotel, name="Welcome", code="WELCOME10", value=Decimal("10"))
    room_rows = Room.objects.bulk_create(
        Room(hotel=hotel, room_type=types[n % len(types)], number=str(100 + n), floor=1 + n // 50) for n in range(rooms)
    )
    statuses = ["confirmed"] * 6 + ["checked_out"] * 6 + ["cancelled"] * 2 + ["held", "expired", "no_show"]
    batch = []
    for room in room_rows:
        day = today - timedelta(days=60)  # past and future stays, back to back or with gaps
        for _ in range(bookings_per_room):
            nights = rng.randint(1, 7)
            status = rng.choice(statuses)
            batch.append(
                Booking(
                    reference=new_reference(),
                    guest=guest,
                    hotel=hotel,
                    room_type=room.room_type,
                    room=room,
                    check_in=day,
                    check_out=day + timedelta(days=nights),
                    status=status,
                    hold_expires_at=timezone.now() + timedelta(minutes=15),
                    subtotal=Decimal(100 * nights),
                    taxes=Decimal(6 * nights),
                    total=Decimal(106 * nights),
                    currency="EUR",
                )
            )
            # A cancelled stay leaves its nights free for the next booking of the room.
            day += timedelta(days=(0 if status in ("cancelled", "expired") else nights) + rng.randint(0, 6))
    Booking.objects.bulk_create(batch, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return hotel, len(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=300)
    parser.add_argument("--bookings-per-room", type=int, default=15)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from apps.bookings.selectors import ROOMS_LEFT_SQL, availability_search, rooms_left_by_type

        started = time.perf_counter()
        hotel, bookings = build(rooms=args.rooms, bookings_per_room=args.bookings_per_room)
        print(f"data: {args.rooms} rooms, {bookings} bookings, built in {time.perf_counter() - started:.1f}s")
        check_in = timezone.now().date() + timedelta(days=14)
        check_out = check_in + timedelta(days=3)
        stay = {"hotel": hotel, "check_in": check_in, "check_out": check_out, "adults": 2, "children": 0}
        params = {"hotel": hotel.pk, "room_type": None, "check_in": check_in, "check_out": check_out}

        with connection.cursor() as cursor:
            print("\n-- SQL\n" + cursor.mogrify(ROOMS_LEFT_SQL, params))
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ROOMS_LEFT_SQL, params)
            print("\n-- EXPLAIN (ANALYZE, BUFFERS)\n" + "\n".join(row[0] for row in cursor.fetchall()))
        left = rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)
        print("\n-- rooms left by room type id:", left)

        samples = []
        for _ in range(args.runs):
            began = time.perf_counter()
            rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)
            samples.append((time.perf_counter() - began) * 1000)
        samples.sort()
        print(
            f"\nrooms-left query, {args.runs} runs: p50 {statistics.median(samples):.2f} ms, "
            f"p95 {samples[int(len(samples) * 0.95) - 1]:.2f} ms"
        )
        samples = []
        for _ in range(args.runs):
            began = time.perf_counter()
            availability_search(**stay, offer_code="WELCOME10")
            samples.append((time.perf_counter() - began) * 1000)
        samples.sort()
        print(
            f"availability_search (all queries + quotes), {args.runs} runs: p50 {statistics.median(samples):.2f} ms, "
            f"p95 {samples[int(len(samples) * 0.95) - 1]:.2f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
