"""Twenty guests check out the last free room at the same instant: it is sold exactly once."""

from __future__ import annotations

import pytest

from apps.bookings import services
from apps.bookings.models import Booking
from apps.core.errors import RoomUnavailable
from tests.bookings.conftest import make_hotel
from tests.concurrency import kinds, race
from tests.factories import UserFactory

RACERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_racing_for_the_last_room_make_exactly_one_booking():
    place = make_hotel(rooms=1)
    guests = [UserFactory() for _ in range(RACERS)]

    def book(guest):
        return lambda: services.booking_create(
            guest=guest,
            hotel=place.hotel,
            room_type=place.room_type,
            check_in=place.day(0),
            check_out=place.day(2),
            adults=1,
        )

    outcomes = race([book(guest) for guest in guests], expected=(RoomUnavailable,))

    assert sorted(kinds(outcomes)) == ["ok"] + ["room_unavailable"] * (RACERS - 1)
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

    def stretch():
        return services.booking_change_dates(booking=mine, check_in=place.day(0), check_out=place.day(4))

    def take(guest):
        return lambda: services.booking_create(
            guest=guest,
            hotel=place.hotel,
            room_type=place.room_type,
            check_in=place.day(2),
            check_out=place.day(4),
            adults=1,
        )

    outcomes = race([stretch, *(take(guest) for guest in others)], expected=(RoomUnavailable,))

    assert kinds(outcomes).count("ok") == 1  # the longer stay or one other guest, never two
    active = list(Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES))
    for day in range(4):  # either my longer stay won, or one other guest took days 2-3: each night sold once
        night = place.day(day)
        assert sum(1 for b in active if b.check_in <= night < b.check_out) == 1, night
