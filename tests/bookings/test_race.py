"""Twenty guests check out the last free room at the same instant: it is sold exactly once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from apps.bookings import services
from apps.bookings.models import Booking
from apps.core.errors import RoomUnavailable
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

RACERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_racing_for_the_last_room_make_exactly_one_booking():
    place = make_hotel(rooms=1)
    guests = [UserFactory() for _ in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(guest) -> None:
        try:
            barrier.wait(10)
            services.booking_create(
                guest=guest,
                hotel=place.hotel,
                room_type=place.room_type,
                check_in=place.day(0),
                check_out=place.day(2),
                adults=1,
            )
            result = "booked"
        except RoomUnavailable:
            result = "room_unavailable"
        except Exception as error:  # anything else is a bug the assertion below shows
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=race, args=(guest,)) for guest in guests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["booked"] + ["room_unavailable"] * (RACERS - 1)
    assert Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES).count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_date_changes_and_creates_never_double_book():
    """A guest stretches their stay while others book the nights after it: the room is sold once per night."""
    place = make_hotel(rooms=1)
    mine = services.booking_confirm(
        booking=services.booking_create(
            guest=UserFactory(),
            hotel=place.hotel,
            room_type=place.room_type,
            check_in=place.day(0),
            check_out=place.day(2),
            adults=1,
        )
    )
    others = [UserFactory() for _ in range(5)]
    barrier = threading.Barrier(len(others) + 1)

    def stretch() -> None:
        try:
            barrier.wait(10)
            services.booking_change_dates(booking=mine, check_in=place.day(0), check_out=place.day(4))
        except RoomUnavailable:
            pass
        finally:
            connection.close()

    def take(guest) -> None:
        try:
            barrier.wait(10)
            services.booking_create(
                guest=guest,
                hotel=place.hotel,
                room_type=place.room_type,
                check_in=place.day(2),
                check_out=place.day(4),
                adults=1,
            )
        except RoomUnavailable:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=stretch)] + [threading.Thread(target=take, args=(g,)) for g in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    active = list(Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES))
    for day in range(4):  # either my longer stay won, or one other guest took days 2-3: each night sold once
        night = place.day(day)
        assert sum(1 for b in active if b.check_in <= night < b.check_out) == 1, night
