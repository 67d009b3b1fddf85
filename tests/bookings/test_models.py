"""The Booking model's own guarantees, enforced by PostgreSQL (the booking services come later)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.bookings.models import REFERENCE_ALPHABET, Booking, new_reference
from tests.factories import BookingFactory, BookingNightFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_references_are_hbs_and_six_unambiguous_characters():
    references = {new_reference() for _ in range(200)}
    assert all(re.fullmatch(r"HBS-[A-Z0-9]{6}", ref) for ref in references)
    assert not set("".join(references)[4:]) & set("01ILO")
    assert not set("01ILO") & set(REFERENCE_ALPHABET)
    assert re.fullmatch(r"HBS-[A-Z0-9]{6}", BookingFactory().reference)


def test_active_statuses_are_the_ones_that_occupy_a_room():
    assert set(Booking.ACTIVE_STATUSES) == {"held", "confirmed", "checked_in"}


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"check_out_offset": 0}, "bookings_check_out_after_check_in"),
        ({"adults": 0}, "bookings_at_least_one_adult"),
        ({"total": Decimal("999.00")}, "bookings_total_adds_up"),
        ({"discount": Decimal("300.00"), "total": Decimal("-80.00")}, "bookings_amounts_not_negative"),
        ({"status": "held", "hold_expires_at": None}, "bookings_hold_has_expiry"),
    ],
)
def test_the_database_refuses_a_booking_that_does_not_add_up(fields, constraint):
    room = RoomFactory()
    offset = fields.pop("check_out_offset", None)
    booking = BookingFactory.build(room=room, room_type=room.room_type, hotel=room.hotel, **fields)
    booking.guest.save()
    if offset is not None:
        booking.check_out = booking.check_in + timedelta(days=offset)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        booking.save()


def test_two_held_bookings_of_one_room_cannot_overlap_even_by_one_night():
    first = BookingFactory(status="held")
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            room=first.room, status="held", check_in=first.check_out - timedelta(days=1),
            check_out=first.check_out + timedelta(days=1),
        )  # fmt: skip
    # expiring the first hold frees its nights
    Booking.objects.filter(pk=first.pk).update(status="expired")
    BookingFactory(room=first.room, status="held", check_in=first.check_in, check_out=first.check_out)


def test_night_lines_add_up_and_are_unique_per_date():
    night = BookingNightFactory(base=Decimal("100.00"), occupancy_charge=Decimal("15.00"), price=Decimal("115.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingNightFactory(booking=night.booking, date=night.date)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingNightFactory(booking=night.booking, date=night.date + timedelta(days=1), price=Decimal("1.00"))
