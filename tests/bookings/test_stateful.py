"""Random creates, confirms, cancels, date changes, expiries, blocks, moves by hand and check-ins.

After every step: the inventory equals a recount from the bookings, blocks and rooms; no room is sold
twice; a stay someone pinned (placed by hand, checked in) never moved unless it was itself acted on;
rooms_left is the fewest rooms left on a night of the stay; and a request was refused only when some
night of its type was truly full, or when no placement of the stays exists at all (checked by brute force).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from apps.audit.models import OutboxEntry
from apps.bookings import services
from apps.bookings.inventory import inventory_drift
from apps.bookings.models import Booking, RoomBlock
from apps.bookings.selectors import availability_search
from apps.core.errors import ApplicationError, RoomUnavailable
from apps.hotels.stays import hotel_today
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

WINDOW = 8  # days of the window we play in
ROOMS = 3
ACTIVE = Booking.ACTIVE_STATUSES


def placement_exists(
    *, rooms: list[int], fixed: dict[int, list[tuple[date, date]]], stays: list[tuple[date, date]]
) -> bool:
    """Brute force: every stay in `stays` gets a room, none overlapping another or what is fixed."""
    taken = {room: list(spans) for room, spans in fixed.items()}
    ordered = sorted(stays)

    def fits(room: int, stay: tuple[date, date]) -> bool:
        return all(not (start < stay[1] and stay[0] < end) for start, end in taken[room])

    def go(index: int) -> bool:
        if index == len(ordered):
            return True
        for room in rooms:
            if fits(room, ordered[index]):
                taken[room].append(ordered[index])
                if go(index + 1):
                    return True
                taken[room].pop()
        return False

    return go(0)


class BookingMachine(RuleBasedStateMachine):
    bookings = Bundle("bookings")
    blocks = Bundle("blocks")

    def __init__(self) -> None:
        super().__init__()
        self.place = make_hotel(rooms=ROOMS, max_unpaid_rooms_per_guest=1000)  # one guest books them all
        self.guest = UserFactory()
        self.now = timezone.now()
        self.pinned: dict[int, int] = {}  # booking → room, for the stays nobody may move
        self.acted_on: int | None = None  # the booking the last step acted on by name

    def stay(self, first: int, length: int) -> tuple[date, date]:
        return self.place.day(first), self.place.day(min(first + length, WINDOW))

    def active(self) -> list[Booking]:
        return list(Booking.objects.filter(room_type=self.place.room_type, status__in=ACTIVE).select_related("room"))

    def blocked_nights(self) -> list[tuple[int, date, date]]:
        return list(RoomBlock.objects.filter(hotel=self.place.hotel).values_list("room_id", "start", "end"))

    def full_on_some_night(self, check_in: date, check_out: date) -> bool:
        active, blocked = self.active(), self.blocked_nights()
        night = check_in
        while night < check_out:
            used = sum(1 for b in active if b.check_in <= night < b.check_out)
            used += sum(1 for _, start, end in blocked if start <= night < end)
            if used >= ROOMS:
                return True
            night += timedelta(days=1)
        return False

    def no_placement_exists(self, check_in: date, check_out: date) -> bool:
        today = hotel_today(self.place.hotel, now=self.now)
        rooms = [room.pk for room in self.place.rooms]
        fixed: dict[int, list[tuple[date, date]]] = {room: [] for room in rooms}
        movable = [(check_in, check_out)]
        for booking in self.active():
            if booking.status == Booking.Status.CHECKED_IN or booking.room_pinned or booking.check_in <= today:
                fixed[booking.room_id].append((booking.check_in, booking.check_out))
            else:
                movable.append((booking.check_in, booking.check_out))
        for room_id, start, end in self.blocked_nights():
            fixed[room_id].append((start, end))
        return not placement_exists(rooms=rooms, fixed=fixed, stays=movable)

    def step(self, booking: int | None = None) -> None:
        self.acted_on = booking

    @rule(target=bookings, first=st.integers(0, WINDOW - 1), length=st.integers(1, 3))
    def create(self, first: int, length: int):
        self.step()
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
        except RoomUnavailable:
            assert self.full_on_some_night(check_in, check_out) or self.no_placement_exists(check_in, check_out), (
                f"{check_in}→{check_out} refused though every night has a room and a placement exists"
            )
            return None

    @rule(booking=bookings)
    def confirm(self, booking):
        self.step(booking)
        if booking is not None:
            with contextlib.suppress(ApplicationError):
                services.booking_confirm(booking=Booking.objects.get(pk=booking))

    @rule(booking=bookings)
    def cancel(self, booking):
        self.step(booking)
        if booking is not None:
            with contextlib.suppress(ApplicationError):
                services.booking_cancel(booking=Booking.objects.get(pk=booking), now=self.now)

    @rule(booking=bookings, first=st.integers(0, WINDOW - 1), length=st.integers(1, 3))
    def change_dates(self, booking, first: int, length: int):
        self.step(booking)
        if booking is not None:
            check_in, check_out = self.stay(first, length)
            with contextlib.suppress(ApplicationError):
                services.booking_change_dates(
                    booking=Booking.objects.get(pk=booking), check_in=check_in, check_out=check_out
                )

    @rule(booking=bookings, room=st.integers(0, ROOMS - 1))
    def move_by_hand(self, booking, room: int):
        self.step(booking)
        if booking is not None:
            with contextlib.suppress(ApplicationError):
                services.booking_assign_room(booking=Booking.objects.get(pk=booking), room=self.place.rooms[room])

    @rule(booking=bookings)
    def check_in(self, booking):
        """The desk checks the guest in on the arrival day (the clock is set to noon there for this step)."""
        self.step(booking)
        if booking is not None:
            found = Booking.objects.select_related("hotel").get(pk=booking)
            arrival = datetime.combine(found.check_in, time(12), tzinfo=found.hotel.zone)
            with contextlib.suppress(ApplicationError):
                services.booking_check_in(booking=found, now=arrival)

    @rule(target=blocks, room=st.integers(0, ROOMS - 1), first=st.integers(0, WINDOW - 1), length=st.integers(1, 2))
    def block(self, room: int, first: int, length: int):
        self.step()
        start, end = self.stay(first, length)
        try:
            return services.room_block_create(room=self.place.rooms[room], start=start, end=end, reason="Repairs").pk
        except ApplicationError:
            return None

    @rule(block=blocks)
    def unblock(self, block):
        self.step()
        found = RoomBlock.objects.filter(pk=block).first() if block is not None else None
        if found is not None:
            services.room_block_delete(block=found)

    @rule(minutes=st.integers(1, 30))
    def time_passes(self, minutes: int):
        self.step()
        self.now += timedelta(minutes=minutes)
        services.booking_expire_holds(now=self.now)

    @invariant()
    def inventory_equals_a_recount(self):
        assert inventory_drift(self.place.hotel) == []

    @invariant()
    def no_room_is_sold_twice(self):
        active = self.active()
        for day in range(WINDOW):
            night = self.place.day(day)
            rooms = [b.room_id for b in active if b.check_in <= night < b.check_out]
            assert len(rooms) == len(set(rooms)), f"a room is sold twice on {night}"
        for room_id, start, end in self.blocked_nights():
            clash = [b for b in active if b.room_id == room_id and b.check_in < end and start < b.check_out]
            assert not clash, f"a stay sits in a room out of order: {clash}"

    @invariant()
    def pinned_stays_never_move(self):
        active = {b.pk: b for b in self.active()}
        for booking_id, room_id in self.pinned.items():
            if booking_id in active and booking_id != self.acted_on:
                assert active[booking_id].room_id == room_id, f"pinned booking {booking_id} was moved"
        self.pinned = {
            b.pk: b.room_id for b in active.values() if b.room_pinned or b.status == Booking.Status.CHECKED_IN
        }

    @invariant()
    def rooms_left_is_the_fullest_night(self):
        active, blocked = self.active(), self.blocked_nights()
        for first in range(0, WINDOW - 1, 3):
            check_in, check_out = self.stay(first, 2)
            [found] = availability_search(hotel=self.place.hotel, check_in=check_in, check_out=check_out, adults=1)
            nights = [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]
            left = min(
                ROOMS
                - sum(1 for b in active if b.check_in <= night < b.check_out)
                - sum(1 for _, start, end in blocked if start <= night < end)
                for night in nights
            )
            assert found.rooms_left == left


@pytest.mark.django_db
def test_booking_state_machine():
    BookingMachine.TestCase.settings = settings(
        max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
    )
    BookingMachine.TestCase().runTest()


@pytest.mark.django_db
def test_a_stay_that_fits_the_counts_is_sold_by_moving_a_future_stay():
    """Room 101 holds A (nights 0-1), room 102 holds B (nights 2-3): no room is free for nights 0-3, yet every
    night has one. First fit refused it; the engine moves B in after A and sells the stay, and says so."""
    place = make_hotel(rooms=2)
    first, second = place.rooms
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

    a = book(0, 2)
    x = book(2, 4)  # first fit: after A in 101
    b = book(2, 4)  # so B goes to 102
    services.booking_cancel(booking=x)
    assert (a.room_id, b.room_id) == (first.pk, second.pk)

    c = book(0, 4)

    b.refresh_from_db()
    assert (c.room_id, b.room_id) == (second.pk, first.pk)
    assert inventory_drift(place.hotel) == []
    [line] = OutboxEntry.objects.filter(collection="booking_logs", document__event="room_moved")
    assert line.document["reference"] == b.reference
    assert line.document["details"]["from"] == "102" and line.document["details"]["to"] == "101"
    assert line.document["actor"]["type"] == "system"


@pytest.mark.django_db
def test_a_stay_placed_by_hand_is_never_moved_so_the_request_is_refused():
    place = make_hotel(rooms=2)
    first, second = place.rooms
    guest = UserFactory()
    stay = {"guest": guest, "hotel": place.hotel, "room_type": place.room_type, "adults": 1}
    a = services.booking_create(**stay, check_in=place.day(0), check_out=place.day(2))
    b = services.booking_create(**stay, check_in=place.day(2), check_out=place.day(4))
    services.booking_assign_room(booking=a, room=first)  # the desk keeps A in 101 and puts B in 102: both pinned
    services.booking_assign_room(booking=b, room=second)

    with pytest.raises(RoomUnavailable):
        services.booking_create(**stay, check_in=place.day(0), check_out=place.day(4))

    b.refresh_from_db()
    assert (a.room_id, b.room_id) == (first.pk, second.pk)
