"""The inventory of each room type and night: kept by every writer, checked and repaired, rolled each night."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import OutboxEntry
from apps.bookings import services
from apps.bookings.inventory import inventory_drift, inventory_roll, window
from apps.bookings.models import RoomTypeNight
from apps.core.errors import Conflict
from apps.hotels.services import room_update, rooms_create
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def row(place, offset: int) -> RoomTypeNight:
    return RoomTypeNight.objects.get(room_type=place.room_type, night=place.day(offset))


def book(place, start: int, end: int):
    return services.booking_create(
        guest=UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(start),
        check_out=place.day(end),
        adults=1,
    )


def test_rows_cover_the_bookable_window_from_the_hotels_today():
    place = make_hotel(rooms=3)
    first, end = window(place.hotel)
    nights = RoomTypeNight.objects.filter(room_type=place.room_type)
    assert nights.count() == (end - first).days
    assert min(nights.values_list("night", flat=True)) == first
    assert {(r.rooms, r.sold, r.blocked) for r in nights} == {(3, 0, 0)}


def test_each_service_keeps_the_nights_it_touches():
    place = make_hotel(rooms=3)
    booking = book(place, 0, 2)
    assert [row(place, n).sold for n in range(3)] == [1, 1, 0]

    services.booking_change_dates(booking=booking, check_in=place.day(1), check_out=place.day(3))
    assert [row(place, n).sold for n in range(4)] == [0, 1, 1, 0]

    services.booking_cancel(booking=booking)
    assert [row(place, n).sold for n in range(4)] == [0, 0, 0, 0]

    block = services.room_block_create(room=place.rooms[0], start=place.day(0), end=place.day(2), reason="Paint")
    assert [row(place, n).blocked for n in range(3)] == [1, 1, 0]
    services.room_block_delete(block=block)
    assert row(place, 0).blocked == 0
    assert inventory_drift(place.hotel) == []


def test_rooms_coming_and_leaving_service_change_the_supply():
    place = make_hotel(rooms=2)
    rooms_create(hotel=place.hotel, room_type=place.room_type, numbers="201-203")
    assert row(place, 0).rooms == 5

    room_update(room=place.rooms[0], in_service=False)
    assert row(place, 0).rooms == 4
    assert inventory_drift(place.hotel) == []


def test_a_room_with_stays_cannot_leave_service():
    place = make_hotel(rooms=1)
    book(place, 0, 2)
    with pytest.raises(Conflict):
        room_update(room=place.rooms[0], in_service=False)
    assert row(place, 0).rooms == 1


def test_postgresql_refuses_an_oversold_night():
    place = make_hotel(rooms=1)
    book(place, 0, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomTypeNight.objects.filter(room_type=place.room_type, night=place.day(0)).update(blocked=1)


def test_inventory_check_reports_drift_and_fix_repairs_it_with_an_audit_line(capsys):
    place = make_hotel(rooms=2)
    book(place, 0, 2)
    RoomTypeNight.objects.filter(room_type=place.room_type, night=place.day(1)).update(sold=0)  # drift, by hand
    RoomTypeNight.objects.filter(room_type=place.room_type, night=place.day(5)).delete()

    with pytest.raises(SystemExit) as exited:
        call_command("inventory_check", hotel=place.hotel.slug)
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "2 night(s) differ" in out and "missing" in out

    call_command("inventory_check", hotel=place.hotel.slug, fix=True)
    assert inventory_drift(place.hotel) == []
    assert row(place, 1).sold == 1
    [line] = OutboxEntry.objects.filter(collection="audit_logs", document__action="inventory_repair")
    assert line.document["details"]["nights_fixed"] == 2

    call_command("inventory_check", hotel=place.hotel.slug)
    assert "matches a recount" in capsys.readouterr().out


def test_the_nightly_roll_keeps_past_nights_and_counts_the_new_ones_at_the_horizon():
    place = make_hotel(rooms=2)
    first, end = window(place.hotel)
    later = timezone.now() + timedelta(days=3)

    inventory_roll(now=later)

    first_later, end_later = window(place.hotel, now=later)
    nights = RoomTypeNight.objects.filter(room_type=place.room_type)
    assert first_later > first
    assert min(nights.values_list("night", flat=True)) == first  # the past nights stay: the supply's history
    assert max(nights.values_list("night", flat=True)) == end_later - timedelta(days=1)
    assert nights.get(night=end).rooms == 2
    assert inventory_drift(place.hotel, now=later) == []
