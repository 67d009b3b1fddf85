"""Each booking rule lives once, in the domain, and the page, the API and availability answer with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from apps.bookings.models import Booking
from apps.bookings.selectors import availability_search
from apps.bookings.services import booking_confirm, booking_create
from apps.core.ports import Port
from tests.clients import client_for
from tests.factories import RateOverrideFactory, UserFactory

pytestmark = pytest.mark.django_db


def hold(place, guest=None, **stay):
    return booking_create(
        guest=guest or UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=stay.get("check_in", place.day(0)),
        check_out=stay.get("check_out", place.day(2)),
        adults=stay.get("adults", 2),
    )


def expire(booking: Booking) -> Booking:
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    booking.refresh_from_db()
    return booking


def test_the_api_refuses_new_dates_for_an_expired_hold_as_the_page_hides_them(small_hotel):
    booking = expire(hold(small_hotel))
    api = client_for(booking.guest)
    new_dates = {"check_in": str(small_hotel.day(3)), "check_out": str(small_hotel.day(5))}

    preview = api.post(f"/api/v1/bookings/{booking.reference}/change-dates/", {**new_dates, "preview": True})
    applied = api.post(f"/api/v1/bookings/{booking.reference}/change-dates/", new_dates)
    cancelled = api.post(f"/api/v1/bookings/{booking.reference}/cancel/", {})
    page = Client()
    page.force_login(booking.guest)
    detail = page.get(f"/bookings/{booking.reference}/").content.decode()

    for answer in (preview, applied, cancelled):
        assert answer.status_code == 409, answer.json()
        assert answer.json()["error"]["code"] == "invalid_state"
    assert "This hold has expired" in applied.json()["error"]["message"]
    booking.refresh_from_db()
    assert (booking.check_in, booking.status) == (small_hotel.day(0), Booking.Status.HELD)
    assert "Change dates" not in detail and "Cancel booking" not in detail


def test_closed_to_arrival_is_said_in_the_same_words_by_availability_the_api_and_the_book_page(small_hotel):
    RateOverrideFactory(
        room_type=small_hotel.room_type,
        starts_on=small_hotel.day(0),
        ends_on=small_hotel.day(0),
        price="100.00",
        closed_to_arrival=True,
    )
    stay = {"check_in": small_hotel.day(0), "check_out": small_hotel.day(2)}
    [shown] = availability_search(hotel=small_hotel.hotel, adults=2, **stay)
    guest = UserFactory()
    answer = client_for(guest).post(
        "/api/v1/bookings/",
        {"hotel": small_hotel.hotel.slug, "room_type": small_hotel.room_type.pk, "adults": 2, **stay},
    )
    page = Client()
    page.force_login(guest)
    query = f"hotel={small_hotel.hotel.slug}&room_type={small_hotel.room_type.pk}&adults=2"
    book = page.get(f"/book/?{query}&check_in={stay['check_in']}&check_out={stay['check_out']}")

    words = "The hotel takes no arrivals on this date for this room type."
    assert not shown.bookable and shown.restriction == words
    assert answer.status_code == 400 and answer.json()["error"]["fields"] == {"check_in": [words]}
    assert book.status_code == 400 and words in book.content.decode()
    assert not Booking.objects.exists()


def test_a_party_too_big_gets_the_one_capacity_message_from_the_api_and_the_page(small_hotel):
    guest = UserFactory()
    stay = {"check_in": str(small_hotel.day(0)), "check_out": str(small_hotel.day(2))}
    answer = client_for(guest).post(
        "/api/v1/bookings/",
        {"hotel": small_hotel.hotel.slug, "room_type": small_hotel.room_type.pk, "adults": 2, "children": 2, **stay},
    )
    page = Client()
    page.force_login(guest)
    query = f"hotel={small_hotel.hotel.slug}&room_type={small_hotel.room_type.pk}&adults=2&children=2"
    book = page.get(f"/book/?{query}&check_in={stay['check_in']}&check_out={stay['check_out']}")

    words = "Double takes at most 2 adults and 1 children."
    assert answer.status_code == 400 and answer.json()["error"]["message"] == words
    assert words in book.content.decode()


def test_a_confirmed_stay_with_money_due_is_offered_online_payment_by_the_payment_rules(small_hotel):
    booking = booking_confirm(booking=hold(small_hotel))
    page = Client()
    page.force_login(booking.guest)
    detail = page.get(f"/bookings/{booking.reference}/").content.decode()
    answer = client_for(booking.guest).post(f"/api/v1/bookings/{booking.reference}/payments/", {"method": "online"})

    assert f"Pay €{booking.total:,.2f} online now" in detail
    assert answer.status_code == 201 and answer.json()["redirect_url"]


def test_a_port_nobody_provides_is_a_loud_configuration_error():
    unprovided: Port = Port("tests.unprovided")
    with pytest.raises(ImproperlyConfigured, match=r"Nothing provides tests\.unprovided"):
        unprovided.call()
