"""The booking lifecycle services against real PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.audit.models import OutboxEntry
from apps.bookings import services
from apps.bookings.logs import BOOKING_LOGS
from apps.bookings.models import Booking
from apps.bookings.selectors import availability_search
from apps.core.errors import InvalidState, RoomUnavailable, ValidationFailed
from apps.hotels.models import Room
from tests.bookings.conftest import make_hotel
from tests.factories import PaymentFactory, RateOverrideFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Booking.Status


def book(place, first: int, last: int, guest=None, **extra):
    return services.booking_create(
        guest=guest or UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(first),
        check_out=place.day(last),
        adults=2,
        **extra,
    )


def confirmed(place, first: int, last: int, **extra) -> Booking:
    return services.booking_confirm(booking=book(place, first, last, **extra))


def test_create_holds_a_room_with_frozen_nightly_prices(small_hotel, commit):
    booking = commit(lambda: book(small_hotel, 0, 3))
    assert booking.status == Status.HELD
    assert booking.reference.startswith("HBS-") and len(booking.reference) == 10
    assert booking.hold_expires_at > timezone.now() + timedelta(minutes=14)
    assert [night.date for night in booking.night_lines.all()] == [small_hotel.day(n) for n in range(3)]
    assert booking.subtotal == Decimal("300.00")
    assert booking.total == booking.subtotal - booking.discount + booking.taxes
    assert mail.outbox[-1].subject == f"Your room is on hold: {booking.reference}"


def test_a_reference_drawn_twice_is_drawn_again_instead_of_failing(small_hotel, monkeypatch):
    from types import SimpleNamespace

    from apps.bookings import models as booking_models

    first = book(small_hotel, 0, 2)
    drawn = iter(first.reference.removeprefix("HBS-") + "ZZZZZZ")  # first the taken one, then a free one
    monkeypatch.setattr(booking_models, "secrets", SimpleNamespace(choice=lambda alphabet: next(drawn)))
    second = book(small_hotel, 0, 2)
    assert second.reference == "HBS-ZZZZZZ" and second.room != first.room
    assert Booking.objects.count() == 2 and second.night_lines.count() == 2


def test_the_booking_costs_what_availability_showed(small_hotel):
    RateOverrideFactory(
        room_type=small_hotel.room_type,
        starts_on=small_hotel.day(1),
        ends_on=small_hotel.day(1),
        price=Decimal("180.00"),
    )
    [shown] = availability_search(
        hotel=small_hotel.hotel, check_in=small_hotel.day(0), check_out=small_hotel.day(3), adults=2
    )
    booking = book(small_hotel, 0, 3)
    assert booking.total == shown.quote.total
    assert [n.price for n in booking.night_lines.all()] == [line.price for line in shown.quote.nights]


def test_prices_stay_frozen_across_a_later_rate_change(small_hotel):
    booking = book(small_hotel, 0, 2)
    before = (booking.total, [n.price for n in booking.night_lines.all()])
    RateOverrideFactory(
        room_type=small_hotel.room_type,
        starts_on=small_hotel.day(0),
        ends_on=small_hotel.day(5),
        price=Decimal("999.00"),
    )
    small_hotel.room_type.base_rate = Decimal("500.00")
    small_hotel.room_type.save()
    booking.refresh_from_db()
    assert (booking.total, [n.price for n in booking.night_lines.all()]) == before


def test_back_to_back_stays_share_the_one_room(one_room_hotel):
    first = book(one_room_hotel, 0, 2)
    second = book(one_room_hotel, 2, 4)  # arrives the day the first leaves
    assert first.room_id == second.room_id


def test_sold_out_is_room_unavailable_and_writes_nothing(one_room_hotel):
    book(one_room_hotel, 0, 3)
    with pytest.raises(RoomUnavailable):
        book(one_room_hotel, 1, 2)
    assert Booking.objects.count() == 1


def test_a_refused_hold_leaves_no_nightly_prices_notification_or_history(one_room_hotel, commit):
    from apps.bookings.models import BookingNight
    from apps.notifications.models import Notification

    commit(lambda: book(one_room_hotel, 0, 3))
    refused = UserFactory()
    nights, notices, lines = BookingNight.objects.count(), Notification.objects.count(), OutboxEntry.objects.count()
    with pytest.raises(RoomUnavailable):
        commit(lambda: book(one_room_hotel, 1, 2, guest=refused))
    assert BookingNight.objects.count() == nights
    assert not Notification.objects.filter(user=refused).exists() and Notification.objects.count() == notices
    assert OutboxEntry.objects.count() == lines
    assert len(mail.outbox) == 1  # the first guest's hold only


def test_an_expired_hold_frees_the_room_for_the_next_guest(one_room_hotel):
    now = timezone.now()
    stale = book(one_room_hotel, 0, 2, now=now)
    later = now + timedelta(minutes=16)
    fresh = book(one_room_hotel, 0, 2, now=later)
    stale.refresh_from_db()
    assert stale.status == Status.EXPIRED
    assert fresh.room_id == stale.room_id
    lines = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__reference=stale.reference)
    assert [line.document["event"] for line in lines.order_by("pk")] == ["created", "expired"]


def test_the_periodic_sweep_expires_holds(small_hotel):
    booking = book(small_hotel, 0, 1)
    assert services.booking_expire_holds(now=timezone.now() + timedelta(minutes=5)) == 0
    assert services.booking_expire_holds(now=timezone.now() + timedelta(minutes=30)) == 1
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED


def test_a_room_out_of_service_is_never_sold(one_room_hotel):
    Room.objects.update(in_service=False)
    with pytest.raises(RoomUnavailable):
        book(one_room_hotel, 0, 1)


def test_party_too_large_or_dates_in_the_past_are_refused(small_hotel):
    with pytest.raises(ValidationFailed) as party:
        services.booking_create(
            guest=UserFactory(),
            hotel=small_hotel.hotel,
            room_type=small_hotel.room_type,
            check_in=small_hotel.day(0),
            check_out=small_hotel.day(1),
            adults=3,
        )
    assert "adults" in party.value.fields
    with pytest.raises(ValidationFailed) as past:
        services.booking_create(
            guest=UserFactory(),
            hotel=small_hotel.hotel,
            room_type=small_hotel.room_type,
            check_in=small_hotel.day(-10),
            check_out=small_hotel.day(-9),
            adults=1,
        )
    assert "check_in" in past.value.fields
    assert Booking.objects.count() == 0


def test_every_transition_writes_a_booking_log_line(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    services.booking_cancel(booking=booking, reason="Plans changed")
    events = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__reference=booking.reference).order_by("pk")
    assert [(e.document["event"], e.document["from_status"], e.document["to_status"]) for e in events] == [
        ("created", None, "held"),
        ("confirmed", "held", "confirmed"),
        ("cancelled", "confirmed", "cancelled"),
    ]


# --- Illegal transitions -----------------------------------------------------------------------


def _checked_in(place):
    booking = confirmed(place, 0, 2)
    arrival_noon = datetime.combine(place.day(0), datetime.min.time(), tzinfo=place.hotel.zone) + timedelta(hours=12)
    return services.booking_check_in(booking=booking, now=arrival_noon)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("confirmed", lambda b: services.booking_confirm(booking=b)),
        ("cancelled", lambda b: services.booking_confirm(booking=b)),
        ("cancelled", lambda b: services.booking_cancel(booking=b)),
        ("checked_in", lambda b: services.booking_cancel(booking=b)),
        ("held", lambda b: services.booking_check_in(booking=b)),
        ("held", lambda b: services.booking_check_out(booking=b)),
        ("confirmed", lambda b: services.booking_check_out(booking=b)),
        ("held", lambda b: services.booking_mark_no_show(booking=b)),
        ("checked_in", lambda b: services.booking_mark_no_show(booking=b)),
        ("cancelled", lambda b: services.booking_assign_room(booking=b, room=b.room)),
        (
            "checked_in",
            lambda b: services.booking_change_dates(
                booking=b, check_in=b.check_in, check_out=b.check_out + timedelta(days=1)
            ),
        ),
    ],
)
def test_illegal_transitions_are_invalid_state(small_hotel, state, action):
    if state == "held":
        booking = book(small_hotel, 0, 2)
    elif state == "confirmed":
        booking = confirmed(small_hotel, 0, 2)
    elif state == "cancelled":
        booking = services.booking_cancel(booking=book(small_hotel, 0, 2)).booking
    else:
        booking = _checked_in(small_hotel)
    before = Booking.objects.get(pk=booking.pk).status
    with pytest.raises(InvalidState):
        action(booking)
    assert Booking.objects.get(pk=booking.pk).status == before


def test_check_in_only_from_the_arrival_date_and_no_show_only_after_the_night(small_hotel):
    booking = confirmed(small_hotel, 3, 5)
    with pytest.raises(InvalidState, match="arrival date"):
        services.booking_check_in(booking=booking)
    with pytest.raises(InvalidState, match="arrival night"):
        services.booking_mark_no_show(booking=booking)
    morning_after = datetime.combine(small_hotel.day(4), datetime.min.time(), tzinfo=small_hotel.hotel.zone)
    done = services.booking_mark_no_show(booking=booking, now=morning_after + timedelta(hours=9))
    assert done.booking.status == Status.NO_SHOW
    assert done.terms.keeps == booking.total


# --- The desk ----------------------------------------------------------------------------------


def test_check_in_can_move_the_guest_and_check_out_leaves_the_room_dirty(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    other = next(room for room in small_hotel.rooms if room.pk != booking.room_id)
    noon = datetime.combine(small_hotel.day(0), datetime.min.time(), tzinfo=small_hotel.hotel.zone) + timedelta(
        hours=12
    )
    checked_in = services.booking_check_in(booking=booking, room=other, now=noon)
    assert (checked_in.status, checked_in.room_id) == (Status.CHECKED_IN, other.pk)
    out = services.booking_check_out(
        booking=checked_in, now=noon + timedelta(days=2), leave_open_reason="Invoiced to the company"
    )
    assert out.status == Status.CHECKED_OUT
    assert Room.objects.get(pk=other.pk).housekeeping == Room.Housekeeping.DIRTY


def test_check_out_asks_for_the_balance_whichever_way_it_is_called(small_hotel):
    booking = _checked_in(small_hotel)
    leaving = booking.check_out
    with pytest.raises(ValidationFailed) as refused:
        services.booking_check_out(booking=booking)
    assert refused.value.fields == {
        "leave_open_reason": [
            f"€{booking.total:,.2f} is still due: take it, or say why the guest leaves without paying."
        ]
    }
    assert Booking.objects.get(pk=booking.pk).status == Status.CHECKED_IN
    PaymentFactory(booking=booking, amount=booking.total - Decimal("20.00"))
    with pytest.raises(ValidationFailed, match=r"^€20\.00 is still due"):
        services.booking_check_out(booking=booking)
    out = services.booking_check_out(booking=booking, leave_open_reason="  The company pays the rest  ")
    assert (out.status, out.check_out) == (Status.CHECKED_OUT, leaving)
    line = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__event="checked_out").get()
    assert line.document["details"]["balance_left_open"] == "20.00 EUR: The company pays the rest"


def test_a_guest_who_paid_in_full_checks_out_without_a_reason(small_hotel):
    booking = _checked_in(small_hotel)
    PaymentFactory(booking=booking)
    out = services.booking_check_out(booking=booking)
    assert out.status == Status.CHECKED_OUT
    line = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__event="checked_out").get()
    assert "balance_left_open" not in line.document["details"]


def test_check_in_to_an_out_of_service_room_is_refused(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    Room.objects.filter(pk=booking.room_id).update(in_service=False)
    noon = datetime.combine(small_hotel.day(0), datetime.min.time(), tzinfo=small_hotel.hotel.zone) + timedelta(
        hours=12
    )
    with pytest.raises(InvalidState, match="out of service"):
        services.booking_check_in(booking=booking, now=noon)


def test_assigning_a_taken_room_is_refused(small_hotel):
    first, second = confirmed(small_hotel, 0, 3), confirmed(small_hotel, 1, 2)
    with pytest.raises(RoomUnavailable):
        services.booking_assign_room(booking=second, room=first.room)
    second.refresh_from_db()
    assert second.room_id != first.room_id


def test_a_room_of_another_hotel_cannot_be_assigned(small_hotel):
    booking = confirmed(small_hotel, 0, 1)
    elsewhere = RoomFactory()
    from apps.core.errors import NotFound

    with pytest.raises(NotFound):
        services.booking_assign_room(booking=booking, room=elsewhere)


# --- Change dates and cancel --------------------------------------------------------------------


def test_change_dates_requotes_and_keeps_the_room_when_free(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    change = services.booking_change_dates(booking=booking, check_in=small_hotel.day(0), check_out=small_hotel.day(4))
    assert change.room.pk == booking.room_id
    assert change.difference == change.quote.total - booking.total
    fresh = Booking.objects.get(pk=booking.pk)
    assert fresh.check_out == small_hotel.day(4)
    assert fresh.night_lines.count() == 4
    assert fresh.total == change.quote.total


def test_change_dates_moves_to_another_room_or_refuses(one_room_hotel):
    mine = confirmed(one_room_hotel, 0, 2)
    confirmed(one_room_hotel, 2, 4)  # someone arrives when I leave
    with pytest.raises(RoomUnavailable):
        services.booking_change_dates(booking=mine, check_in=one_room_hotel.day(0), check_out=one_room_hotel.day(3))
    mine.refresh_from_db()
    assert mine.check_out == one_room_hotel.day(2)  # nothing half-written
    RoomFactory(room_type=one_room_hotel.room_type, hotel=one_room_hotel.hotel, number="999")
    change = services.booking_change_dates(
        booking=mine, check_in=one_room_hotel.day(0), check_out=one_room_hotel.day(3)
    )
    assert change.room.number == "999"


def test_cancel_before_the_deadline_keeps_nothing(small_hotel):
    booking = confirmed(small_hotel, 5, 7)
    done = services.booking_cancel(booking=booking)
    assert done.booking.status == Status.CANCELLED
    assert done.terms.is_free
    assert done.terms.keeps == Decimal("0.00")


def test_cancel_after_the_deadline_keeps_the_first_night(small_hotel):
    booking = confirmed(small_hotel, 0, 3)
    after_deadline = datetime.combine(small_hotel.day(0), datetime.min.time(), tzinfo=small_hotel.hotel.zone)
    done = services.booking_cancel(booking=booking, now=after_deadline)
    assert not done.terms.is_free
    first_night = booking.night_lines.order_by("date").first().price
    assert done.terms.keeps == (booking.total * first_night / booking.subtotal).quantize(Decimal("0.01"))


def test_cancel_after_the_deadline_with_a_share_policy(db):
    place = make_hotel(rooms=1, late_cancellation_keeps="share", late_cancellation_share=Decimal("0.5000"))
    booking = confirmed(place, 0, 2)
    late = datetime.combine(place.day(0), datetime.min.time(), tzinfo=place.hotel.zone)
    done = services.booking_cancel(booking=booking, now=late)
    assert done.terms.keeps == (booking.total / 2).quantize(Decimal("0.01"))


def test_a_lapsed_hold_is_not_confirmed_on_a_promise_but_is_with_money_received(small_hotel):
    booking = book(small_hotel, 0, 2)
    later = booking.hold_expires_at + timedelta(minutes=1)
    with pytest.raises(InvalidState, match="expired"):
        services.booking_confirm(booking=booking, now=later)
    assert services.booking_confirm(booking=booking, now=later, paid=True).status == Status.CONFIRMED
