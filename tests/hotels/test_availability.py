"""Availability against real PostgreSQL: rooms left, the exclusion constraint, query count, the hotel's today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.bookings.selectors import availability_search
from apps.core.errors import ValidationFailed
from apps.hotels.pricing import InvalidOffer
from apps.hotels.services import room_type_update, room_update
from apps.hotels.stays import hotel_today
from tests.factories import (
    AmenityFactory,
    BookingFactory,
    HotelFactory,
    OfferFactory,
    RateOverrideFactory,
    RoomFactory,
    RoomTypeFactory,
)

pytestmark = pytest.mark.django_db


def _search(hotel, check_in, nights=2, **kwargs):
    kwargs.setdefault("adults", 2)
    return availability_search(hotel=hotel, check_in=check_in, check_out=check_in + timedelta(days=nights), **kwargs)


@pytest.fixture
def arrival() -> date:
    return timezone.now().date() + timedelta(days=20)


def test_rooms_left_counts_overlaps_back_to_back_and_inactive_bookings(arrival):
    room_type = RoomTypeFactory()
    rooms = RoomFactory.create_batch(6, room_type=room_type)
    RoomFactory(room_type=room_type, in_service=False)  # never sold
    stay = {"check_in": arrival, "check_out": arrival + timedelta(days=3)}
    BookingFactory(room=rooms[0], **stay)  # same stay
    BookingFactory(
        room=rooms[1], check_in=arrival + timedelta(days=2), check_out=arrival + timedelta(days=5)
    )  # overlap
    BookingFactory(room=rooms[2], check_in=arrival - timedelta(days=2), check_out=arrival)  # leaves as we arrive
    BookingFactory(room=rooms[3], check_in=arrival + timedelta(days=3), check_out=arrival + timedelta(days=4))  # after
    BookingFactory(room=rooms[4], status="cancelled", **stay)
    BookingFactory(room=rooms[4], status="held", check_in=arrival - timedelta(days=1), check_out=arrival + timedelta(1))
    deleted = BookingFactory(room=rooms[5], **stay)
    deleted.delete()  # soft-deleted: frees the room

    [found] = _search(room_type.hotel, arrival, nights=3)
    # The fullest night has two stays (room 0's, and room 4's hold on the first night or room 1's from the
    # third): 4 of the 6 rooms in service are left. Rooms 2, 3 and 5 are free for the whole stay; the
    # fourth comes from moving room 1's later stay in after room 4's hold, which the booking engine does.
    assert found.rooms_left == 4


def test_sold_out_room_types_are_listed_with_zero_and_unfitting_ones_are_not(arrival):
    hotel = HotelFactory()
    small = RoomTypeFactory(hotel=hotel, name="Single", max_adults=1, max_children=0, base_occupancy=1)
    family = RoomTypeFactory(hotel=hotel, name="Family", max_adults=2, max_children=2)
    BookingFactory(room=RoomFactory(room_type=family), check_in=arrival, check_out=arrival + timedelta(days=2))
    RoomFactory(room_type=small)

    results = _search(hotel, arrival, adults=2, children=1)
    assert [(r.room_type.name, r.rooms_left) for r in results] == [("Family", 0)]
    assert {r.room_type.name for r in _search(hotel, arrival, adults=1)} == {"Single", "Family"}


def test_the_database_refuses_two_active_bookings_of_one_room_on_overlapping_nights(arrival):
    room = RoomFactory()
    BookingFactory(room=room, check_in=arrival, check_out=arrival + timedelta(days=3))
    with pytest.raises(IntegrityError, match="bookings_no_double_booking"), transaction.atomic():
        BookingFactory(room=room, check_in=arrival + timedelta(days=2), check_out=arrival + timedelta(days=4))
    # back to back, or overlapping a cancelled stay: allowed
    BookingFactory(room=room, check_in=arrival + timedelta(days=3), check_out=arrival + timedelta(days=5))
    BookingFactory(room=room, status="cancelled", check_in=arrival, check_out=arrival + timedelta(days=3))


def test_query_count_does_not_grow_with_rooms_room_types_or_nights(arrival, django_assert_max_num_queries):
    def world(types: int, rooms_each: int):
        hotel = HotelFactory()
        for index in range(types):
            room_type = RoomTypeFactory(hotel=hotel, name=f"Type {index}")
            room_type.amenities.add(AmenityFactory(), AmenityFactory())
            for room in RoomFactory.create_batch(rooms_each, room_type=room_type):
                BookingFactory(room=room, check_in=arrival, check_out=arrival + timedelta(days=1))
            RateOverrideFactory(room_type=room_type, starts_on=arrival, ends_on=arrival + timedelta(days=9))
        OfferFactory(hotel=hotel, code=None, value=Decimal("5"))  # an automatic offer
        return hotel

    small, big = world(1, 1), world(6, 8)
    with django_assert_max_num_queries(6) as small_run:
        _search(small, arrival, nights=1)
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        _search(big, arrival, nights=25)
    OfferFactory(hotel=big, code="SAVE5")
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        _search(big, arrival, nights=25, offer_code="save5")


def test_a_repeated_search_reads_only_rooms_left_and_rates_from_postgresql(arrival, django_assert_num_queries):
    room_type = RoomTypeFactory()
    RoomFactory(room_type=room_type)
    _search(room_type.hotel, arrival)  # the hotel's room types and offers are now in the catalogue cache
    with django_assert_num_queries(2):
        [found] = _search(room_type.hotel, arrival + timedelta(days=1))
    assert found.rooms_left == 1


@pytest.mark.django_db(transaction=True)
def test_the_next_search_shows_catalogue_changes_and_every_booking_at_once(arrival):
    hotel = HotelFactory(tax_rate=Decimal("0"))
    room_type = RoomTypeFactory(hotel=hotel, name="Double", base_rate=Decimal("100.00"))
    first, second = RoomFactory.create_batch(2, room_type=room_type)
    [found] = _search(hotel, arrival)
    assert (found.quote.total, found.rooms_left) == (Decimal("200.00"), 2)

    room_type_update(room_type=room_type, base_rate=Decimal("120.00"))
    RoomTypeFactory(hotel=hotel, name="Suite", base_rate=Decimal("300.00"))
    BookingFactory(room=first, check_in=arrival, check_out=arrival + timedelta(days=1))
    double, suite = _search(hotel, arrival)
    assert (double.quote.total, double.rooms_left) == (Decimal("240.00"), 1)
    assert (suite.room_type.name, suite.rooms_left) == ("Suite", 0)

    room_update(room=second, in_service=False)
    assert _search(hotel, arrival)[0].rooms_left == 0


def test_quotes_in_availability_use_overrides_occupancy_and_the_best_automatic_offer(arrival):
    room_type = RoomTypeFactory(base_rate=Decimal("100.00"), extra_child_charge=Decimal("20.00"))
    RoomFactory(room_type=room_type)
    RateOverrideFactory(room_type=room_type, starts_on=arrival + timedelta(days=1), ends_on=arrival + timedelta(1))
    OfferFactory(hotel=room_type.hotel, code=None, value=Decimal("5"))
    OfferFactory(hotel=room_type.hotel, code=None, value=Decimal("10"))

    [found] = _search(room_type.hotel, arrival, nights=2, adults=2, children=1)
    assert [line.price for line in found.quote.nights] == [Decimal("120.00"), Decimal("170.00")]
    assert found.quote.discount == Decimal("29.00")
    assert found.quote.taxes == Decimal("26.10")
    assert found.quote.total == Decimal("287.10")


def test_an_offer_code_applies_case_insensitively_and_bad_codes_are_400_invalid_offer(arrival):
    room_type = RoomTypeFactory()
    RoomFactory(room_type=room_type)
    OfferFactory(hotel=room_type.hotel, code="WELCOME10")
    OfferFactory(hotel=room_type.hotel, code="USEDUP", usage_limit=1, times_used=1)
    OfferFactory(hotel=room_type.hotel, code="GONE", bookable_until=timezone.now() - timedelta(days=1))

    [found] = _search(room_type.hotel, arrival, offer_code="welcome10")
    assert found.quote.discount == Decimal("20.00") and found.quote.offer.code == "WELCOME10"
    for code, message in [("NOPE", "not known"), ("usedup", "fully used"), ("GONE", "expired")]:
        with pytest.raises(InvalidOffer, match=message):
            _search(room_type.hotel, arrival, offer_code=code)


def test_an_offer_for_other_room_types_leaves_this_one_at_full_price_with_a_note(arrival):
    hotel = HotelFactory()
    suite = RoomTypeFactory(hotel=hotel, name="Suite")
    RoomTypeFactory(hotel=hotel, name="Double")
    offer = OfferFactory(hotel=hotel, code="SUITE")
    offer.room_types.add(suite)
    results = {r.room_type.name: r for r in _search(hotel, arrival, offer_code="SUITE")}
    assert results["Suite"].quote.discount == Decimal("20.00")
    assert results["Double"].quote.discount == 0 and "room type" in results["Double"].offer_note


@pytest.mark.parametrize(
    ("offset", "nights", "adults", "field"),
    [
        (-1, 2, 2, "check_in"),  # yesterday at the hotel
        (5, 0, 2, "check_out"),  # no night
        (5, 31, 2, "check_out"),  # too long
        (600, 2, 2, "check_in"),  # beyond 18 months
        (5, 2, 0, "adults"),
        (5, 2, 21, "adults"),
    ],
)
def test_bad_dates_and_parties_are_validation_errors_on_the_field(offset, nights, adults, field):
    hotel = RoomTypeFactory().hotel
    today = hotel_today(hotel)
    with pytest.raises(ValidationFailed) as caught:
        availability_search(
            hotel=hotel,
            check_in=today + timedelta(days=offset),
            check_out=today + timedelta(days=offset + nights),
            adults=adults,
            children=0,
        )
    assert field in caught.value.fields


def test_a_party_no_room_type_takes_is_a_validation_error(arrival):
    hotel = RoomTypeFactory(max_adults=2, max_children=0).hotel
    with pytest.raises(ValidationFailed) as caught:
        _search(hotel, arrival, adults=2, children=1)
    assert "children" in caught.value.fields


def test_today_is_the_hotels_today_not_utcs(monkeypatch):
    # 2026-03-10 11:00 UTC is already 2026-03-11 01:00 in Kiritimati (UTC+14)
    # and still 2026-03-10 00:00 in Pago Pago (UTC-11).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 10, 11, 0, tzinfo=UTC))
    ahead = RoomTypeFactory(hotel=HotelFactory(time_zone="Pacific/Kiritimati")).hotel
    behind = RoomTypeFactory(hotel=HotelFactory(time_zone="Pacific/Pago_Pago")).hotel
    utc_today = date(2026, 3, 10)

    with pytest.raises(ValidationFailed) as caught:
        _search(ahead, utc_today)  # yesterday in Kiritimati
    assert "2026-03-11" in caught.value.fields["check_in"][0]
    assert _search(ahead, utc_today + timedelta(days=1))
    assert _search(behind, utc_today)  # still today in Pago Pago
    with pytest.raises(ValidationFailed):
        _search(behind, utc_today - timedelta(days=1))
