"""Builds the inventory of every room type and night from the bookings, blocks and rooms already there."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

HORIZON_MONTHS, MAX_NIGHTS, SPARE_DAYS = 18, 30, 7

# A copy of apps.bookings.inventory.RECOUNT_SQL as it stood when this migration was written.
RECOUNT_SQL = """
    INSERT INTO bookings_roomtypenight AS row (hotel_id, room_type_id, night, rooms, sold, blocked)

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

    ON CONFLICT (room_type_id, night) DO UPDATE
       SET rooms = excluded.rooms, sold = excluded.sold, blocked = excluded.blocked
     WHERE (row.rooms, row.sold, row.blocked) IS DISTINCT FROM (excluded.rooms, excluded.sold, excluded.blocked)
"""


def _end(today: date) -> date:
    month_index = today.month - 1 + HORIZON_MONTHS
    year, month = today.year + month_index // 12, month_index % 12 + 1
    day = today.day
    while True:
        try:
            last = today.replace(year=year, month=month, day=day)
            break
        except ValueError:
            day -= 1
    return last + timedelta(days=MAX_NIGHTS + 1 + SPARE_DAYS)


def build(apps, schema_editor):
    Hotel = apps.get_model("hotels", "Hotel")
    RoomType = apps.get_model("hotels", "RoomType")
    now = datetime.now(UTC)
    with schema_editor.connection.cursor() as cursor:
        for hotel in Hotel.objects.all():
            today = now.astimezone(ZoneInfo(hotel.time_zone)).date()
            types = list(RoomType.objects.filter(hotel_id=hotel.pk).values_list("pk", flat=True))
            if types:
                last = _end(today) - timedelta(days=1)
                cursor.execute(RECOUNT_SQL, {"types": types, "first": today, "last": last})


class Migration(migrations.Migration):
    dependencies = [("bookings", "0007_inventory")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
