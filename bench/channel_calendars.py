"""Channel calendars on a big hotel: the export feed's p95, and the import of a 2,000-event feed.

Run: .venv/bin/python -m hbs.devenv bench bench/channel_calendars.py
(BENCH_ROOMS / BENCH_BOOKINGS change the size; default 300 rooms, 150,000 bookings.)
The export goes through the whole Django stack in-process (the feed's secret URL, the selector,
PostgreSQL). The import applies a feed given as bytes (no network): parse, lock, the events' blocks
made in one call of the booking engine's bulk block service. Targets: export p95 < 100 ms; import < 2 s.
"""

from __future__ import annotations

import time
from datetime import timedelta

from common import big_hotel, report, timed
from django.test import Client

SAMPLES = 200


def main() -> None:
    from apps.calendars.models import Channel
    from apps.calendars.services import channel_sync
    from apps.hotels.models import RoomType
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    client = Client()
    room_types = list(RoomType.objects.filter(hotel=hotel).order_by("pk"))
    channels = [
        Channel.objects.get_or_create(hotel=hotel, room_type=room_type, name="Bench export")[0]
        for room_type in room_types
    ]
    # Sell out the first type on every other week of the next months, so its feed has runs to list:
    # each of its rooms free on those nights gets a block (bench data, written straight to the table).
    from apps.bookings.inventory import recount_hotel
    from apps.bookings.models import Booking, RoomBlock

    today = hotel_today(hotel)
    RoomBlock.all_objects.filter(hotel=hotel, reason="bench sell-out").delete()
    filler = []
    rooms = list(room_types[0].rooms.filter(in_service=True))
    for week in range(0, 40, 2):
        for day in range(7):
            night = today + timedelta(days=7 * week + day)
            busy = set(
                Booking.objects.filter(room__in=rooms, check_in__lte=night, check_out__gt=night)
                .filter(status__in=Booking.ACTIVE_STATUSES)
                .values_list("room_id", flat=True)
            )
            filler += [
                RoomBlock(hotel=hotel, room=room, start=night, end=night + timedelta(days=1), reason="bench sell-out")
                for room in rooms
                if room.pk not in busy
            ]
    RoomBlock.objects.bulk_create(filler)
    recount_hotel(hotel)  # bulk_create sends no signal: the inventory rows are recounted once
    urls = [f"/calendars/{channel.export_token}.ics" for channel in channels]
    sizes = [len(client.get(url).content) for url in urls]
    print(f"export feeds of {len(urls)} room types: {min(sizes)}-{max(sizes)} bytes")
    timed(20, lambda index: client.get(urls[index % len(urls)]))
    report("GET export feed", timed(SAMPLES, lambda index: client.get(urls[index % len(urls)])))

    RoomBlock.all_objects.filter(hotel=hotel, reason="bench sell-out").hard_delete()
    recount_hotel(hotel)

    # The import: a new room type of 2,000 rooms' worth of nights would need rooms; instead a type of the
    # hotel takes 2,000 one-night events spread over its free nights, far ahead of the seeded bookings.
    target = room_types[0]
    Channel.all_objects.filter(room_type=target, name="Bench import").delete()
    channel = Channel.objects.create(hotel=hotel, room_type=target, name="Bench import")
    first = today + timedelta(days=200)
    events = []
    for n in range(2000):
        night = first + timedelta(days=n % 300)
        events.append(
            "BEGIN:VEVENT\r\n"
            f"UID:bench-{n}@channel\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART;VALUE=DATE:{night:%Y%m%d}\r\nDTEND;VALUE=DATE:{night + timedelta(days=1):%Y%m%d}\r\n"
            "SUMMARY:Reserved\r\nEND:VEVENT\r\n"
        )
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bench//EN\r\n"
    body = (head + "".join(events) + "END:VCALENDAR\r\n").encode()
    started = time.perf_counter()
    result = channel_sync(channel=channel, body=body)
    took = time.perf_counter() - started
    print(
        f"import of a 2,000-event feed: {took:.2f} s (target < 2 s): {result.blocked} held, "
        f"{len(result.conflicts)} conflicts, error {result.error!r}"
    )
    started = time.perf_counter()
    again = channel_sync(channel=channel, body=body)
    print(f"the same feed again: {time.perf_counter() - started:.2f} s, {again.unchanged} unchanged")
    from apps.calendars.services import channel_delete

    channel_delete(channel=channel)


if __name__ == "__main__":
    main()
