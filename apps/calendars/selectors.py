"""Reads of the channel calendars: the nights a room type can no longer sell, and the staff's channels."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from apps.accounts.permissions import scope_queryset
from apps.calendars.models import Channel, ChannelStay
from apps.core.errors import NotFound
from apps.hotels.models import Hotel, RoomType
from apps.hotels.stays import HORIZON_MONTHS, add_months, hotel_today

VIEW = "calendars.view_channel"

# The rooms of the type (in service) taken by an active stay or a block, as a sweep over the horizon: each
# stay or block adds one room at its first night and gives it back at its end, and the running sum at each
# change point holds until the next one. A room carries at most one stay or block a night (the exclusion
# constraints, and the services that refuse a block over a stay), so the sum counts rooms. Both scans use
# the partial GiST indexes on (hotel, nights) that availability uses; the rows are two per stay, not one
# per night.
TAKEN_NIGHTS_SQL = """
    WITH rooms AS (
      SELECT room.id FROM hotels_room room
      WHERE room.room_type_id = %(room_type)s::bigint AND room.in_service AND NOT room.is_deleted
    ),
    spans AS (
      SELECT greatest(booking.check_in, %(first)s::date) AS first_night,
             least(booking.check_out, %(last)s::date) AS back
      FROM bookings_booking booking
      WHERE booking.hotel_id = %(hotel)s::bigint AND NOT booking.is_deleted
        AND booking.status IN ('held', 'confirmed', 'checked_in')
        AND daterange(booking.check_in, booking.check_out) && daterange(%(first)s, %(last)s)
        AND booking.room_id IN (SELECT id FROM rooms)
      UNION ALL
      SELECT greatest(block.start, %(first)s::date), least(block."end", %(last)s::date)
      FROM bookings_roomblock block
      WHERE block.hotel_id = %(hotel)s::bigint AND NOT block.is_deleted
        AND daterange(block.start, block."end") && daterange(%(first)s, %(last)s)
        AND block.room_id IN (SELECT id FROM rooms)
    ),
    changes AS (
      SELECT day, sum(delta) AS delta FROM (
        SELECT first_night AS day, 1 AS delta FROM spans
        UNION ALL
        SELECT back AS day, -1 AS delta FROM spans
      ) moves
      GROUP BY day
    )
    SELECT (SELECT count(*) FROM rooms), day, sum(delta) OVER (ORDER BY day) FROM changes ORDER BY day
"""


def export_horizon(hotel: Hotel, *, now: datetime | None = None) -> tuple[date, date]:
    """From the hotel's today to as far ahead as it sells."""
    today = hotel_today(hotel, now=now)
    return today, add_months(today, HORIZON_MONTHS) + timedelta(days=31)


def unsellable_runs(*, room_type: RoomType, first: date, last: date) -> list[tuple[date, date]]:
    """The runs of nights `[start, end)` in `[first, last)` on which no room of the type is left to sell."""
    params: dict[str, int | date] = {
        "room_type": room_type.pk,
        "hotel": room_type.hotel_id,
        "first": first,
        "last": last,
    }
    with connection.cursor() as cursor:
        cursor.execute(TAKEN_NIGHTS_SQL, params)
        rows = cursor.fetchall()
    if not rows:
        rooms = RoomType.objects.filter(pk=room_type.pk, rooms__in_service=True, rooms__is_deleted=False).count()
        return [] if rooms else [(first, last)]
    rooms = rows[0][0]
    if rooms == 0:
        return [(first, last)]
    runs: list[tuple[date, date]] = []
    # Each row: from `day` on (until the next row's day), `taken` rooms are taken.
    for (_, day, taken), following in zip(rows, [*rows[1:], (None, last, 0)], strict=True):
        until = following[1]
        if taken < rooms or day >= last or until <= day:
            continue
        if runs and runs[-1][1] == day:
            runs[-1] = (runs[-1][0], until)
        else:
            runs.append((day, until))
    return runs


def channel_for_export(*, token: str) -> Channel:
    """The channel whose export secret this is; 404 for anything else (a rotated secret included)."""
    channel = Channel.objects.select_related("hotel", "room_type").filter(export_token=token).first() if token else None
    if channel is None:
        raise NotFound("There is no such calendar.")
    return channel


def staff_channels(*, user: Any, perm: str = VIEW) -> QuerySet[Channel]:
    channels = Channel.objects.select_related("hotel", "room_type").order_by("room_type__name", "name")
    return scope_queryset(user, perm, channels, scope_model=Hotel, path="hotel")


def staff_channel_get(*, user: Any, perm: str, channel_id: int) -> Channel:
    channel = staff_channels(user=user, perm=perm).filter(pk=channel_id).first() if 0 < channel_id < 2**63 else None
    if channel is None:
        raise NotFound("There is no channel with this id among your hotels.")
    return channel


def channel_conflicts(*, channels: QuerySet[Channel]) -> QuerySet[ChannelStay]:
    """Imported stays that no room could hold: nights sold here and on the channel."""
    return (
        ChannelStay.objects.filter(channel__in=channels, conflict=True)
        .select_related("channel", "channel__room_type")
        .order_by("start")
    )
