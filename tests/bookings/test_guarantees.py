"""One guest cannot hold a hotel's rooms for free: a cap of unpaid rooms per guest and night, a confirmed
email before pay-at-hotel, and a hotel's deposit, which only a payment covering it satisfies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.bookings.inventory import inventory_drift
from apps.bookings.models import Booking
from apps.bookings.services import booking_create
from apps.core.errors import Conflict
from apps.hotels.models import Hotel
from apps.payments.services import payment_record_desk
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.concurrency import kinds, race
from tests.factories import RoomFactory, RoomTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


def hold(place, guest, check_in: int, check_out: int) -> Booking:
    return booking_create(
        guest=guest,
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(check_in),
        check_out=place.day(check_out),
        adults=2,
    )


def test_one_guest_cannot_hold_every_room_of_a_type_for_free():
    place = make_hotel(rooms=5, max_unpaid_rooms_per_guest=2)
    hoarder = UserFactory()
    hold(place, hoarder, 0, 14)
    hold(place, hoarder, 5, 7)
    with pytest.raises(Conflict, match="2 unpaid room"):
        hold(place, hoarder, 6, 8)  # night 6 would be the third unpaid room
    hold(place, hoarder, 7, 9)  # nights 7 and 8: only the 14-night hold is unpaid there besides
    hold(place, UserFactory(), 0, 14)  # another guest has a budget of their own
    assert Booking.objects.filter(guest=hoarder).count() == 3


def test_the_api_answers_the_cap_with_409_and_a_paid_room_does_not_count(settings):
    place = make_hotel(rooms=4, max_unpaid_rooms_per_guest=1)
    guest = UserFactory()
    body = {"hotel": place.hotel.slug, "room_type": place.room_type.pk, "adults": 2}
    stay = {"check_in": place.day(0).isoformat(), "check_out": place.day(3).isoformat()}
    client = client_for(guest)
    first = client.post("/api/v1/bookings/", {**body, **stay}, format="json")
    assert first.status_code == 201
    second = client.post("/api/v1/bookings/", {**body, **stay}, format="json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    booking = Booking.objects.get(reference=first.json()["reference"])
    payment_record_desk(booking=booking, method="cash", recorded_by=UserFactory(), amount=booking.total)
    assert client.post("/api/v1/bookings/", {**body, **stay}, format="json").status_code == 201


def test_pay_at_hotel_needs_a_confirmed_email():
    place = make_hotel()
    guest = UserFactory(email_verified_at=None)
    booking = hold(place, guest, 0, 2)
    response = client_for(guest).post(f"/api/v1/bookings/{booking.reference}/confirm/", format="json")
    assert response.status_code == 403 and "confirm your email" in response.json()["error"]["message"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD


def test_a_hotel_asking_a_deposit_confirms_only_on_a_payment_that_covers_it():
    place = make_hotel(deposit_rule=Hotel.Deposit.SHARE, deposit_share=Decimal("0.3000"))
    guest = UserFactory()
    booking = hold(place, guest, 0, 2)
    response = client_for(guest).post(f"/api/v1/bookings/{booking.reference}/confirm/", format="json")
    assert response.status_code == 409 and "deposit" in response.json()["error"]["message"]

    desk = UserFactory()
    payment_record_desk(booking=booking, method="cash", recorded_by=desk, amount=Decimal("0.01"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD  # a cent guarantees nothing
    deposit = (booking.total * Decimal("0.3")).quantize(Decimal("0.01"))
    payment_record_desk(booking=booking, method="cash", recorded_by=desk, amount=deposit - Decimal("0.01"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_without_a_deposit_rule_a_payment_confirms_as_before():
    place = make_hotel()
    booking = hold(place, UserFactory(), 0, 2)
    payment_record_desk(booking=booking, method="cash", recorded_by=UserFactory(), amount=Decimal("10.00"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_one_guest_racing_two_holds_on_two_room_types_gets_only_the_cap():
    """The cap is counted per guest, not per room type: the guest's row is locked beside each room type's,
    so two holds of one guest at the same instant on two types cannot both see a free budget."""
    place = make_hotel(rooms=2, max_unpaid_rooms_per_guest=1)
    suite = RoomTypeFactory(hotel=place.hotel, name="Suite", base_rate="180.00", max_adults=2)
    RoomFactory(room_type=suite, hotel=place.hotel, number="201")
    RoomFactory(room_type=suite, hotel=place.hotel, number="202")

    for round_ in range(5):
        guest, first = UserFactory(), 3 * round_

        def book(room_type, guest=guest, first=first):
            return lambda: booking_create(
                guest=guest,
                hotel=place.hotel,
                room_type=room_type,
                check_in=place.day(first),
                check_out=place.day(first + 2),
                adults=2,
            )

        outcomes = race([book(place.room_type), book(suite)], expected=(Conflict,))

        assert sorted(kinds(outcomes)) == ["conflict", "ok"]
        assert Booking.objects.filter(guest=guest).count() == 1
    assert inventory_drift(place.hotel) == []
