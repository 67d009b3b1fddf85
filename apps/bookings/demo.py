"""Growing a hotel to benchmark size: `seed_demo --rooms N --bookings M`.

Bookings are generated room by room along a timeline (past stays checked out,
a few cancelled or no-shows, the current ones checked in, future ones mostly
confirmed) so that no two active bookings ever overlap on a room, and are
written with PostgreSQL's COPY: 150,000 bookings and their nights take
seconds, not minutes. COPY bypasses model signals, so these rows have no
audit lines: they are benchmark data, not history.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.inventory import recount_hotel
from apps.bookings.models import (
    REFERENCE_ALPHABET,
    REFERENCE_PREFIX,
    Booking,
    BookingNight,
    RoomBlock,
    RoomTypeNight,
)
from apps.bookings.services import room_block_create
from apps.core.errors import ApplicationError
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.pricing import money
from apps.hotels.stays import hotel_today

BENCH_GUESTS = 500
CENT = Decimal("0.01")


def _room_types(hotel: Hotel) -> list[RoomType]:
    types = list(RoomType.objects.filter(hotel=hotel).order_by("pk"))
    if types:
        return types
    defaults = [("Standard Double", "95.00", 2, 1), ("Superior Twin", "120.00", 2, 2), ("Family Suite", "210.00", 4, 3)]
    return [
        RoomType.objects.create(
            hotel=hotel,
            name=name,
            base_rate=Decimal(rate),
            max_adults=adults,
            max_children=children,
            base_occupancy=2,
            description=f"{name} at {hotel.name}.",
        )
        for name, rate, adults, children in defaults
    ]


def grow_rooms(*, hotel: Hotel, rooms: int) -> int:
    """Adds rooms (numbered by floor: 101, 102 … 201 …) until the hotel has `rooms`; returns how many were added."""
    existing = Room.all_objects.filter(hotel=hotel).count()
    missing = rooms - existing
    if missing <= 0:
        return 0
    types = _room_types(hotel)
    taken = set(Room.all_objects.filter(hotel=hotel).values_list("number", flat=True))
    new: list[Room] = []
    index = 0
    while len(new) < missing:
        floor, slot = divmod(index, 40)
        number = f"{floor + 1}{slot + 1:02d}"
        index += 1
        if number in taken:
            continue
        new.append(Room(hotel=hotel, room_type=types[len(new) % len(types)], number=number, floor=floor + 1))
    Room.objects.bulk_create(new, batch_size=1000)
    recount_hotel(hotel)  # bulk_create sends no signal: the inventory counts the new rooms here
    return len(new)


def _bench_guests() -> list[int]:
    emails = [f"guest{n:04d}@bench.hbs.test" for n in range(BENCH_GUESTS)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=email, first_name="Bench", last_name=f"Guest {email[5:9]}", password="!")
            for email in emails
            if email not in known
        ],
        batch_size=1000,
    )
    return list(User.objects.filter(email__in=emails).values_list("pk", flat=True))


def _references(count: int, rng: random.Random) -> Iterator[str]:
    taken = set(Booking.all_objects.values_list("reference", flat=True))
    while count:
        reference = REFERENCE_PREFIX + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(6))
        if reference not in taken:
            taken.add(reference)
            count -= 1
            yield reference


def _status(check_in: date, check_out: date, today: date, rng: random.Random) -> str:
    roll = rng.random()
    if check_out <= today:
        return "checked_out" if roll < 0.9 else ("cancelled" if roll < 0.97 else "no_show")
    if check_in <= today:
        return "checked_in"
    return "confirmed" if roll < 0.88 else ("cancelled" if roll < 0.97 else "held")


def _copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def grow_bookings(*, hotel: Hotel, bookings: int, seed: int = 2026) -> int:
    """Adds past and future bookings until the hotel has `bookings`; returns how many were added."""
    missing = bookings - Booking.all_objects.filter(hotel=hotel).count()
    if missing <= 0:
        return 0
    rng = random.Random(seed + missing)
    rooms = list(Room.objects.filter(hotel=hotel, in_service=True).select_related("room_type").order_by("pk"))
    if not rooms:
        raise ValueError(f"{hotel.name} has no room in service to book.")
    guests = _bench_guests()
    today = hotel_today(hotel)
    now = timezone.now()
    per_room = -(-missing // len(rooms))
    # About 3.7 days a booking per room (stay plus gap): the timeline reaches some 300 days ahead,
    # leaving the rest of the 18-month horizon free for new bookings. Each room's new stays
    # fit around the stays it already has (the demo's own, or an earlier run's).
    span_days = int(per_room * 3.8)
    start = today - timedelta(days=max(span_days - 300, 0))
    taken = _stays_by_room(hotel=hotel)
    next_day: dict[int, date] = {}
    booking_rows: list[tuple[Any, ...]] = []
    night_rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('bookings_booking', 'id')) FROM generate_series(1, %s)", [missing]
        )
        ids = [row[0] for row in cursor.fetchall()]
    references = _references(missing, rng)
    tax_rate = hotel.tax_rate
    for index in range(missing):
        room = rooms[index % len(rooms)]
        nights = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 7))
        check_in = _free_from(
            next_day.get(room.pk, start) + timedelta(days=rng.choice((0, 0, 0, 1, 1, 2))), nights, taken[room.pk]
        )
        check_out = check_in + timedelta(days=nights)
        next_day[room.pk] = check_out
        status = _status(check_in, check_out, today, rng)
        price = money(room.room_type.base_rate)
        subtotal = price * nights
        taxes = money(subtotal * tax_rate)
        made = datetime.combine(check_in - timedelta(days=rng.randint(1, 60)), datetime.min.time(), tzinfo=hotel.zone)
        made = min(made, now)
        booking_id = ids[index]
        values = {
            "id": booking_id,
            "created_at": made,
            "updated_at": made,
            "is_deleted": False,
            "deleted_at": None,
            "reference": next(references),
            "guest_id": rng.choice(guests),
            "hotel_id": hotel.pk,
            "room_type_id": room.room_type_id,
            "room_id": room.pk,
            "check_in": check_in,
            "check_out": check_out,
            "adults": 1 + (rng.random() < 0.6),
            "children": 0,
            "status": status,
            "hold_expires_at": now + timedelta(minutes=15) if status == "held" else None,
            "special_requests": "",
            "offer_id": None,
            "subtotal": subtotal,
            "discount": Decimal("0.00"),
            "taxes": taxes,
            "total": subtotal + taxes,
            "currency": hotel.currency,
            "confirmed_at": made if status != "held" else None,
            "checked_in_at": datetime.combine(check_in, hotel.check_in_time, tzinfo=hotel.zone)
            if status in ("checked_in", "checked_out")
            else None,
            "checked_out_at": datetime.combine(check_out, hotel.check_out_time, tzinfo=hotel.zone)
            if status == "checked_out"
            else None,
            "cancelled_at": made if status == "cancelled" else None,
            "cancellation_reason": "",
            "room_pinned": False,
        }
        booking_rows.append(tuple(values[column] for column in _booking_columns()))
        for offset in range(nights):
            night = check_in + timedelta(days=offset)
            night_rows.append((booking_id, night, price, Decimal("0.00"), False, price, made, made))
    with transaction.atomic():
        _copy(Booking._meta.db_table, _booking_columns(), booking_rows)
        _copy(
            BookingNight._meta.db_table,
            ["booking_id", "date", "base", "occupancy_charge", "override_applied", "price", "created_at", "updated_at"],
            night_rows,
        )
    # Fresh statistics for the planner: a bulk load is where they go most wrong, and not
    # every server runs autovacuum (which would analyze the tables eventually).
    recount_hotel(hotel)  # COPY sends no signal: the inventory counts the new stays here
    with connection.cursor() as cursor:
        cursor.execute(
            f"ANALYZE {Booking._meta.db_table}, {BookingNight._meta.db_table}, {Room._meta.db_table}, "
            f"{RoomTypeNight._meta.db_table}"
        )
    return missing


def seed_inventory(*, hotels: list[Hotel]) -> None:
    """Each demo hotel's inventory counted from its rooms, stays and blocks (however they were inserted)."""
    for hotel in hotels:
        recount_hotel(hotel)


def _stays_by_room(*, hotel: Hotel) -> dict[int, list[tuple[date, date]]]:
    """Each room's existing stays, latest first (so the earliest is popped first)."""
    stays: dict[int, list[tuple[date, date]]] = {}
    rows = Booking.all_objects.filter(hotel=hotel).order_by("-check_in").values_list("room_id", "check_in", "check_out")
    for room_id, check_in, check_out in rows:
        stays.setdefault(room_id, []).append((check_in, check_out))
    return defaultdict(list, stays)


def _free_from(day: date, nights: int, stays: list[tuple[date, date]]) -> date:
    """The first arrival from `day` whose nights clash with none of `stays` (consumed as passed)."""
    while stays:
        taken_in, taken_out = stays[-1]
        if taken_out <= day:
            stays.pop()  # ended before: never in the way again, as arrivals only move forward
        elif taken_in < day + timedelta(days=nights):
            day = taken_out
            stays.pop()
        else:
            break
    return day


def _booking_columns() -> list[str]:
    return [column for field in Booking._meta.concrete_fields if (column := field.column)]


def seed_stays(*, users: dict[str, User], hotels: list[Hotel]) -> int:
    """A few real stays for the demo, made through the booking services: the desk has an arrival
    today and the guests have something in "My bookings". Skipped once a guest has any booking."""
    from apps.bookings.services import booking_confirm, booking_create

    plans = [
        # guest, hotel index, days from the hotel's today, nights, confirm
        ("guest@hbs.test", 0, 0, 2, True),
        ("guest@hbs.test", 1, 21, 3, True),
        ("guest2@hbs.test", 0, 10, 1, False),
    ]
    made = 0
    for email, hotel_index, offset, nights, confirm in plans:
        guest, hotel = users[email], hotels[hotel_index]
        if Booking.all_objects.filter(guest=guest, hotel=hotel).exists():
            continue
        room_type = RoomType.objects.filter(hotel=hotel).order_by("base_rate").first()
        check_in = hotel_today(hotel) + timedelta(days=offset)
        booking = booking_create(
            guest=guest,
            hotel=hotel,
            room_type=room_type,
            check_in=check_in,
            check_out=check_in + timedelta(days=nights),
            adults=2,
        )
        if confirm:
            booking_confirm(booking=booking, method="pay_at_hotel")
        made += 1
    return made


def seed_blocks(*, hotels: list[Hotel]) -> int:
    """One room of the first hotel out of order for two nights next week (the room board shows it);
    skipped once the hotel has a block, or when no room is free on those nights."""
    hotel = hotels[0]
    if RoomBlock.all_objects.filter(hotel=hotel).exists():
        return 0
    start = hotel_today(hotel) + timedelta(days=7)
    for room in hotel.rooms.filter(in_service=True).order_by("-number")[:5]:
        try:
            room_block_create(room=room, start=start, end=start + timedelta(days=2), reason="Repainting")
        except ApplicationError:
            continue
        return 1
    return 0
