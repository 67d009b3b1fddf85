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

# Per night of the horizon, the rooms of the type (in service) taken by an active stay or a block; a night
# is no longer sellable when every room is taken. Both scans use the partial GiST indexes on
# (hotel, nights) that availability uses; the nights come out of generate_series, clipped to the horizon.
TAKEN_NIGHTS_SQL = """
    WITH rooms AS (
      SELECT room.id FROM hotels_room room
      WHERE room.room_type_id = %(room_type)s::bigint AND room.in_service AND NOT room.is_deleted
    ),
    taken AS (
      SELECT booking.room_id, night::date AS night
      FROM bookings_booking booking,
           generate_series(greatest(booking.check_in, %(first)s::date),
                           least(booking.check_out, %(last)s::date) - 1, interval '1 day') night
      WHERE booking.hotel_id = %(hotel)s::bigint AND NOT booking.is_deleted
        AND booking.status IN ('held', 'confirmed', 'checked_in')
        AND daterange(booking.check_in, booking.check_out) && daterange(%(first)s, %(last)s)
        AND booking.room_id IN (SELECT id FROM rooms)
      UNION
      SELECT block.room_id, night::date AS night
      FROM bookings_roomblock block,
           generate_series(greatest(block.start, %(first)s::date),
                           least(block."end", %(last)s::date) - 1, interval '1 day') night
      WHERE block.hotel_id = %(hotel)s::bigint AND NOT block.is_deleted
        AND daterange(block.start, block."end") && daterange(%(first)s, %(last)s)
        AND block.room_id IN (SELECT id FROM rooms)
    )
    SELECT (SELECT count(*) FROM rooms), night, count(*)
    FROM taken GROUP BY night ORDER BY night
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
    for _, night, taken in rows:
        if taken < rooms:
            continue
        if runs and runs[-1][1] == night:
            runs[-1] = (runs[-1][0], night + timedelta(days=1))
        else:
            runs.append((night, night + timedelta(days=1)))
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
