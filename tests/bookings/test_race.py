"""Guests racing for the last free room (or room-nights) at the same instant: it is sold exactly once."""

from __future__ import annotations

import pytest

from apps.bookings import services
from apps.bookings.inventory import inventory_drift
from apps.bookings.models import Booking
from apps.core.errors import InvalidState, RoomUnavailable
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
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


RACERS_API = 50


def _fragmented(place):
    """Room 101 holds nights 0-1, room 102 nights 2-3: each night has one room left, no room has all four."""
    guest = UserFactory()

    def book(start: int, end: int) -> Booking:
        return services.booking_create(
            guest=guest,
            hotel=place.hotel,
            room_type=place.room_type,
            check_in=place.day(start),
            check_out=place.day(end),
            adults=1,
        )

    early = book(0, 2)
    filler = book(2, 4)
    late = book(2, 4)
    services.booking_cancel(booking=filler)
    return early, late


@pytest.mark.django_db(transaction=True)
def test_fifty_api_clients_racing_for_the_last_room_nights_get_one_201_and_49_409():
    """The last room on each of four nights, reachable only by moving a future stay: one guest gets it."""
    place = make_hotel(rooms=2)
    _fragmented(place)
    clients = [client_for(UserFactory()) for _ in range(RACERS_API)]
    body = {
        "hotel": place.hotel.slug,
        "room_type": place.room_type.pk,
        "check_in": place.day(0).isoformat(),
        "check_out": place.day(4).isoformat(),
        "adults": 1,
    }

    def book(client):
        return lambda: client.post("/api/v1/bookings/", body, format="json")

    responses = race([book(client) for client in clients])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * (RACERS_API - 1)
    codes = {response.json()["error"]["code"] for response in responses if response.status_code == 409}
    assert codes == {"room_unavailable"}
    assert inventory_drift(place.hotel) == []
    for day in range(4):
        night = place.day(day)
        active = Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES, check_in__lte=night, check_out__gt=night)
        assert sorted(active.values_list("room_id", flat=True)) == sorted(room.pk for room in place.rooms)


@pytest.mark.django_db(transaction=True)
def test_creates_racing_cancels_and_date_changes_of_the_stays_to_move_never_deadlock():
    """The engine wants to move `late`; its guest cancels or stretches it at the same instant: every writer
    finishes (no deadlock, no unexpected error) and the inventory still equals a recount."""
    place = make_hotel(rooms=2)
    early, late = _fragmented(place)
    guests = [UserFactory() for _ in range(8)]

    def take(guest):
        return lambda: services.booking_create(
            guest=guest,
            hotel=place.hotel,
            room_type=place.room_type,
            check_in=place.day(0),
            check_out=place.day(4),
            adults=1,
        )

    def cancel_late():
        return services.booking_cancel(booking=Booking.objects.get(pk=late.pk))

    def stretch_early():
        return services.booking_change_dates(
            booking=Booking.objects.get(pk=early.pk), check_in=place.day(0), check_out=place.day(3)
        )

    outcomes = race(
        [cancel_late, stretch_early, *(take(guest) for guest in guests)],
        expected=(RoomUnavailable, InvalidState),
    )

    assert "ok" in kinds(outcomes)[2:]  # a room for nights 0-3 exists whatever the others did first
    assert inventory_drift(place.hotel) == []
    active = list(Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES))
    for day in range(4):
        night = place.day(day)
        rooms = [b.room_id for b in active if b.check_in <= night < b.check_out]
        assert len(rooms) == len(set(rooms)) <= 2, night
