"""The inventory of each room type and night (RoomTypeNight): kept in the writer's transaction, never drifting.

Each row says, for one room type and night, how many rooms are in service, how many of them an active stay
holds (sold) and how many are out of order (blocked). The rows are derived data: every write of a booking,
a block or a room recounts the nights it touched, in the same transaction (the signals below, connected
once from BookingsConfig.ready), so whichever writer saved the row — a service, the admin, a test factory —
the inventory follows. Services lock the room type first, then these rows in night order
(`nights_locked`), so writers of a type queue and never deadlock; PostgreSQL refuses an oversold night
(bookings_inventory_not_oversold) and the exclusion constraint on (room, stay) stays the final guard.

Rows are kept from the hotel's today to the end of the bookable horizon plus a week (a missed nightly roll
costs nothing); `inventory_roll` moves the window each night, `inventory_drift` recounts for
`manage.py inventory_check`. A night that has passed keeps its row as it was last counted: the supply's
history (rooms in service and out of order that night), which the occupancy report reads; nothing
recounts the past.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from apps.bookings.models import Booking, RoomBlock, RoomTypeNight
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.stays import HORIZON_MONTHS, MAX_NIGHTS, add_months, hotel_today

SPARE_DAYS = 7  # rows beyond the horizon, so a nightly roll that did not run loses no sale

# The counts of `types` on the nights first..last (both included), as rows (room type, night, rooms, sold, blocked).
# Stays are found through the exclusion constraint's index (room, stay), blocks through their own; a stay
# or block counts in the type of the room it is in, and only while that room is in service.
COUNT_SQL = """
    SELECT room_type.hotel_id, room_type.id, day.night::date,
           coalesce(supply.rooms, 0), coalesce(sold.sold, 0), coalesce(blocked.blocked, 0)
    FROM hotels_roomtype room_type
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS day(night)
    LEFT JOIN (
        SELECT room.room_type_id, count(*) AS rooms FROM hotels_room room
        WHERE room.room_type_id = ANY(%(types)s) AND room.in_service AND NOT room.is_deleted
        GROUP BY room.room_type_id
    ) supply ON supply.room_type_id = room_type.id
    LEFT JOIN (
        SELECT room.room_type_id, stay.night::date AS night, count(*) AS sold
        FROM hotels_room room
        JOIN bookings_booking booking ON booking.room_id = room.id
        CROSS JOIN generate_series(
            greatest(booking.check_in, %(first)s::date), least(booking.check_out - 1, %(last)s::date), interval '1 day'
        ) AS stay(night)
        WHERE room.room_type_id = ANY(%(types)s) AND room.in_service AND NOT room.is_deleted
          AND NOT booking.is_deleted AND booking.status IN ('held', 'confirmed', 'checked_in')
          AND daterange(booking.check_in, booking.check_out, '[)') && daterange(%(first)s::date, %(last)s::date, '[]')
        GROUP BY 1, 2
    ) sold ON sold.room_type_id = room_type.id AND sold.night = day.night::date
    LEFT JOIN (
        SELECT room.room_type_id, out_of_order.night::date AS night, count(*) AS blocked
        FROM hotels_room room
        JOIN bookings_roomblock block ON block.room_id = room.id
        CROSS JOIN generate_series(
            greatest(block.start, %(first)s::date), least(block."end" - 1, %(last)s::date), interval '1 day'
        ) AS out_of_order(night)
        WHERE room.room_type_id = ANY(%(types)s) AND room.in_service AND NOT room.is_deleted
          AND NOT block.is_deleted AND block.start <= %(last)s::date AND block."end" > %(first)s::date
        GROUP BY 1, 2
    ) blocked ON blocked.room_type_id = room_type.id AND blocked.night = day.night::date
    WHERE room_type.id = ANY(%(types)s)
    ORDER BY room_type.id, day.night
"""

# The rows written in (room type, night) order, the order every writer locks them in.
RECOUNT_SQL = (
    "INSERT INTO bookings_roomtypenight AS row (hotel_id, room_type_id, night, rooms, sold, blocked)"
    + COUNT_SQL
    + """
    ON CONFLICT (room_type_id, night) DO UPDATE
       SET rooms = excluded.rooms, sold = excluded.sold, blocked = excluded.blocked
     WHERE (row.rooms, row.sold, row.blocked) IS DISTINCT FROM (excluded.rooms, excluded.sold, excluded.blocked)
"""
)

# Taken before a recount: the recount's snapshot is then taken once every writer of these nights that came
# first has committed (read committed: a new snapshot per statement), so it never writes stale counts.
LOCK_SPAN_SQL = """
    SELECT 1 FROM bookings_roomtypenight
    WHERE room_type_id = ANY(%(types)s) AND night >= %(first)s AND night <= %(last)s
    ORDER BY room_type_id, night
    FOR NO KEY UPDATE
"""

LOCK_SQL = """
    SELECT night, rooms - sold - blocked FROM bookings_roomtypenight
    WHERE room_type_id = %(room_type)s::bigint AND night >= %(first)s AND night < %(end)s
    ORDER BY night
    FOR NO KEY UPDATE
"""


def window(hotel: Hotel, *, now: datetime | None = None) -> tuple[date, date]:
    """The nights the rows cover: the hotel's today up to, not including, the returned end."""
    today = hotel_today(hotel, now=now)
    return today, add_months(today, HORIZON_MONTHS) + timedelta(days=MAX_NIGHTS + 1 + SPARE_DAYS)


def recount(*, room_type_ids: Iterable[int], first: date, end: date) -> None:
    """Writes the counts of these room types for the nights [first, end) (rows made where missing)."""
    types = sorted(set(room_type_ids))
    if not types or end <= first:
        return
    params: dict[str, Any] = {"types": types, "first": first, "last": end - timedelta(days=1)}
    with connection.cursor() as cursor:
        # Two statements in one round trip (the parameters are bound on the client): each still takes its
        # own snapshot when it starts, so the recount reads what the writers it waited for committed. A
        # writer holding a room type's lock waits for every round trip the writer before it makes.
        cursor.execute(LOCK_SPAN_SQL + ";\n" + RECOUNT_SQL, params)


def recount_hotel(hotel: Hotel, *, now: datetime | None = None) -> None:
    """Every room type of the hotel over the whole window (the data migration, seed_demo, --fix)."""
    first, end = window(hotel, now=now)
    recount(room_type_ids=RoomType.all_objects.filter(hotel=hotel).values_list("pk", flat=True), first=first, end=end)


def nights_locked(*, room_type_id: int, check_in: date, check_out: date) -> dict[date, int]:
    """Rooms left on each night of the stay, the rows locked (night order) until the transaction ends.

    The caller holds the room type's lock (lock_objects.lock_room_types). Missing rows (a stay past the
    window a roll has not reached yet) are counted first, so the answer always covers every night.
    """
    params: dict[str, Any] = {"room_type": room_type_id, "first": check_in, "end": check_out}
    with connection.cursor() as cursor:
        cursor.execute(LOCK_SQL, params)
        left = dict(cursor.fetchall())
        if len(left) < (check_out - check_in).days:
            recount(room_type_ids=[room_type_id], first=check_in, end=check_out)
            cursor.execute(LOCK_SQL, params)
            left = dict(cursor.fetchall())
    return left


# --- Kept by every write: the signals -------------------------------------------------------------

OCCUPANCY_SQL = """
    SELECT booking.status, booking.is_deleted, booking.check_in, booking.check_out,
           room.room_type_id, room.in_service AND NOT room.is_deleted
    FROM bookings_booking booking JOIN hotels_room room ON room.id = booking.room_id
    WHERE booking.id = %s
"""

_BEFORE = "_inventory_before"
BOOKING_FIELDS = frozenset({"status", "is_deleted", "check_in", "check_out", "room", "room_id"})
ROOM_FIELDS = frozenset({"in_service", "is_deleted", "room_type", "room_type_id"})


@dataclass(frozen=True)
class Occupancy:
    """The nights a booking takes from its room's type (only while active, in a room in service)."""

    room_type_id: int
    check_in: date
    check_out: date


def _occupancy(status: str, deleted: bool, check_in: date, check_out: date, room_type_id: int, usable: bool) -> Any:
    if deleted or status not in Booking.ACTIVE_STATUSES or not usable:
        return None
    return Occupancy(room_type_id=room_type_id, check_in=check_in, check_out=check_out)


def _touches(update_fields: frozenset[str] | None, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _booking_before(sender: type[Booking], instance: Booking, update_fields: Any = None, **kwargs: Any) -> None:
    if instance._state.adding:
        instance.__dict__[_BEFORE] = None  # a new booking held no night before
        return
    if not _touches(update_fields, BOOKING_FIELDS):
        instance.__dict__[_BEFORE] = False  # nothing the inventory counts changes
        return
    with connection.cursor() as cursor:
        cursor.execute(OCCUPANCY_SQL, [instance.pk])
        found = cursor.fetchone()
    instance.__dict__[_BEFORE] = _occupancy(*found) if found else None


def _recount_occupancies(hotel: Hotel, occupancies: Iterable[Occupancy | None]) -> None:
    """Recounts the nights of these occupancies: per room type one span (the old and new nights of a date
    change together), types in id order, so the rows are locked in the order every writer takes them."""
    today, _ = window(hotel)
    spans: dict[int, tuple[date, date]] = {}
    for occupancy in occupancies:
        if occupancy is None:
            continue
        first, end = spans.get(occupancy.room_type_id, (occupancy.check_in, occupancy.check_out))
        spans[occupancy.room_type_id] = (min(first, occupancy.check_in), max(end, occupancy.check_out))
    for room_type_id, (first, end) in sorted(spans.items()):
        recount(room_type_ids=[room_type_id], first=max(first, today), end=end)


def _booking_saved(sender: type[Booking], instance: Booking, created: bool, **kwargs: Any) -> None:
    before = instance.__dict__.pop(_BEFORE, None)
    if before is False:
        return
    room = instance.room
    after = _occupancy(
        instance.status,
        instance.is_deleted,
        instance.check_in,
        instance.check_out,
        room.room_type_id,
        room.in_service and not room.is_deleted,
    )
    if before != after:
        _recount_occupancies(instance.hotel, [before, after])


def _booking_deleted(sender: type[Booking], instance: Booking, **kwargs: Any) -> None:
    """A hard delete (admin, cascade): its nights are free again."""
    room = Room.all_objects.filter(pk=instance.room_id).first()
    if room is not None:
        _recount_occupancies(
            instance.hotel,
            [Occupancy(room_type_id=room.room_type_id, check_in=instance.check_in, check_out=instance.check_out)],
        )


def _block_saved(sender: type[RoomBlock], instance: RoomBlock, **kwargs: Any) -> None:
    room = Room.all_objects.filter(pk=instance.room_id).select_related("hotel").first()
    if room is not None:
        _recount_occupancies(
            room.hotel, [Occupancy(room_type_id=room.room_type_id, check_in=instance.start, check_out=instance.end)]
        )


def _room_before(sender: type[Room], instance: Room, update_fields: Any = None, **kwargs: Any) -> None:
    """The room type(s) a room change touches, locked before the room's row (the engine's lock order)."""
    if not _touches(update_fields, ROOM_FIELDS):
        instance.__dict__[_BEFORE] = False
        return
    types = {instance.room_type_id}
    if not instance._state.adding:
        types |= set(Room.all_objects.filter(pk=instance.pk).values_list("room_type_id", flat=True))
    if connection.in_atomic_block:
        list(RoomType.all_objects.select_for_update(of=("self",), no_key=True).filter(pk__in=types).order_by("pk"))
    instance.__dict__[_BEFORE] = types


def _room_saved(sender: type[Room], instance: Room, **kwargs: Any) -> None:
    types = instance.__dict__.pop(_BEFORE, None)
    if types is False:
        return
    room_supply_changed(hotel=instance.hotel, room_type_ids=types or {instance.room_type_id})


def _room_deleted(sender: type[Room], instance: Room, **kwargs: Any) -> None:
    room_supply_changed(hotel=instance.hotel, room_type_ids=[instance.room_type_id])


def room_supply_changed(*, hotel: Hotel, room_type_ids: Iterable[int]) -> None:
    """Rooms came, went, changed type or left service: these types are recounted over the whole window."""
    first, end = window(hotel)
    recount(room_type_ids=room_type_ids, first=first, end=end)


def connect() -> None:
    pre_save.connect(_booking_before, sender=Booking, dispatch_uid="hbs.inventory.booking.before")
    post_save.connect(_booking_saved, sender=Booking, dispatch_uid="hbs.inventory.booking.saved")
    post_delete.connect(_booking_deleted, sender=Booking, dispatch_uid="hbs.inventory.booking.deleted")
    post_save.connect(_block_saved, sender=RoomBlock, dispatch_uid="hbs.inventory.block.saved")
    post_delete.connect(_block_saved, sender=RoomBlock, dispatch_uid="hbs.inventory.block.deleted")
    pre_save.connect(_room_before, sender=Room, dispatch_uid="hbs.inventory.room.before")
    post_save.connect(_room_saved, sender=Room, dispatch_uid="hbs.inventory.room.saved")
    post_delete.connect(_room_deleted, sender=Room, dispatch_uid="hbs.inventory.room.deleted")


# --- The nightly roll and the check ---------------------------------------------------------------------


def inventory_roll(*, now: datetime | None = None) -> int:
    """Each hotel's window moves to its today: new nights at the horizon are counted in; past nights stay as
    they were last counted (the report's history of the supply)."""
    made = 0
    for hotel in Hotel.objects.all():
        first, end = window(hotel, now=now)
        with transaction.atomic():
            types = list(RoomType.all_objects.filter(hotel=hotel).order_by("pk").values_list("pk", flat=True))
            list(RoomType.all_objects.select_for_update(of=("self",), no_key=True).filter(pk__in=types).order_by("pk"))
            known = set(
                RoomTypeNight.objects.filter(hotel=hotel, night__gte=first, night__lt=end).values_list(
                    "room_type_id", "night"
                )
            )
            nights = (end - first).days
            for room_type_id in types:
                missing = [first + timedelta(days=n) for n in range(nights)]
                missing = [night for night in missing if (room_type_id, night) not in known]
                if missing:
                    recount(room_type_ids=[room_type_id], first=min(missing), end=max(missing) + timedelta(days=1))
                    made += len(missing)
    return made


@dataclass(frozen=True)
class Drift:
    room_type_id: int
    night: date
    stored: tuple[int, int, int] | None  # rooms, sold, blocked; None when the row is missing
    counted: tuple[int, int, int]

    def __str__(self) -> str:
        def shown(counts: tuple[int, int, int]) -> str:
            return "rooms {} sold {} blocked {}".format(*counts)

        stored = "missing" if self.stored is None else shown(self.stored)
        return f"room type {self.room_type_id}, night {self.night}: stored {stored}; counted {shown(self.counted)}"


def inventory_drift(hotel: Hotel, *, now: datetime | None = None) -> list[Drift]:
    """Every night of the window whose row differs from a recount from the bookings, blocks and rooms."""
    first, end = window(hotel, now=now)
    types = list(RoomType.all_objects.filter(hotel=hotel).values_list("pk", flat=True))
    if not types:
        return []
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, {"types": types, "first": first, "last": end - timedelta(days=1)})
        counted = {(row[1], row[2]): (row[3], row[4], row[5]) for row in cursor.fetchall()}
    stored = {
        (room_type_id, night): (rooms, sold, blocked)
        for room_type_id, night, rooms, sold, blocked in RoomTypeNight.objects.filter(
            room_type_id__in=types, night__gte=first, night__lt=end
        ).values_list("room_type_id", "night", "rooms", "sold", "blocked")
    }
    return [
        Drift(room_type_id=key[0], night=key[1], stored=stored.get(key), counted=value)
        for key, value in sorted(counted.items())
        if stored.get(key) != value
    ]
