"""Random creates, cancels, date changes and expiries; after every step no room is sold twice
and rooms_left matches a recount."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from apps.bookings import services
from apps.bookings.models import Booking
from apps.bookings.selectors import availability_search
from apps.core.errors import ApplicationError
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

WINDOW = 8  # days of the window we play in
ACTIVE = Booking.ACTIVE_STATUSES


class BookingMachine(RuleBasedStateMachine):
    bookings = Bundle("bookings")

    def __init__(self) -> None:
        super().__init__()
        self.place = make_hotel(rooms=3)
        self.guest = UserFactory()
        self.now = timezone.now()

    def stay(self, first: int, length: int) -> tuple:
        return self.place.day(first), self.place.day(min(first + length, WINDOW))

    @rule(target=bookings, first=st.integers(0, WINDOW - 1), length=st.integers(1, 3))
    def create(self, first: int, length: int):
        check_in, check_out = self.stay(first, length)
        try:
            return services.booking_create(
                guest=self.guest,
                hotel=self.place.hotel,
                room_type=self.place.room_type,
                check_in=check_in,
                check_out=check_out,
                adults=1,
                now=self.now,
            ).pk
        except ApplicationError:
            return None

    @rule(booking=bookings)
    def confirm(self, booking):
        if booking is not None:
            with contextlib.suppress(ApplicationError):
                services.booking_confirm(booking=Booking.objects.get(pk=booking))

    @rule(booking=bookings)
    def cancel(self, booking):
        if booking is not None:
            with contextlib.suppress(ApplicationError):
                services.booking_cancel(booking=Booking.objects.get(pk=booking), now=self.now)

    @rule(booking=bookings, first=st.integers(0, WINDOW - 1), length=st.integers(1, 3))
    def change_dates(self, booking, first: int, length: int):
        if booking is not None:
            check_in, check_out = self.stay(first, length)
            with contextlib.suppress(ApplicationError):
                services.booking_change_dates(
                    booking=Booking.objects.get(pk=booking), check_in=check_in, check_out=check_out
                )

    @rule(minutes=st.integers(1, 30))
    def time_passes(self, minutes: int):
        self.now += timedelta(minutes=minutes)
        services.booking_expire_holds(now=self.now)

    @invariant()
    def no_room_is_sold_twice(self):
        active = list(Booking.objects.filter(room_type=self.place.room_type, status__in=ACTIVE))
        for day in range(WINDOW):
            night = self.place.day(day)
            rooms = [b.room_id for b in active if b.check_in <= night < b.check_out]
            assert len(rooms) == len(set(rooms)), f"a room is sold twice on {night}"

    @invariant()
    def rooms_left_matches_a_recount(self):
        for first in range(0, WINDOW - 1, 3):
            check_in, check_out = self.stay(first, 2)
            [found] = availability_search(hotel=self.place.hotel, check_in=check_in, check_out=check_out, adults=1)
            taken = {
                b.room_id
                for b in Booking.objects.filter(room_type=self.place.room_type, status__in=ACTIVE)
                if b.check_in < check_out and check_in < b.check_out
            }
            assert found.rooms_left == len(self.place.rooms) - len(taken)


@pytest.mark.django_db
def test_booking_state_machine():
    BookingMachine.TestCase.settings = settings(
        max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
    )
    BookingMachine.TestCase().runTest()
