"""A small hotel to book in: one room type, a few rooms, dates safely in its future."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.hotels.models import Hotel, Room, RoomType
from tests.factories import HotelFactory, RoomFactory, RoomTypeFactory


@dataclass
class SmallHotel:
    hotel: Hotel
    room_type: RoomType
    rooms: list[Room]

    def day(self, offset: int) -> date:
        """A date `offset` days after a week from now (always bookable)."""
        return timezone.now().date() + timedelta(days=7 + offset)


def make_hotel(rooms: int = 3, **hotel_fields: object) -> SmallHotel:
    hotel = HotelFactory(**hotel_fields)
    room_type = RoomTypeFactory(hotel=hotel, name="Double", base_rate="100.00", max_adults=2, max_children=1)
    made = [RoomFactory(room_type=room_type, hotel=hotel, number=str(101 + n)) for n in range(rooms)]
    return SmallHotel(hotel=hotel, room_type=room_type, rooms=made)


@pytest.fixture
def small_hotel(db) -> SmallHotel:
    return make_hotel()


@pytest.fixture
def one_room_hotel(db) -> SmallHotel:
    return make_hotel(rooms=1)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as a committed transaction would: its on_commit effects (emails) happen."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
