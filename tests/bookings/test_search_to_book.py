"""From the hotel page's prices to the booking page: the same stay, the same total."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from apps.bookings.selectors import availability_search

pytestmark = pytest.mark.django_db


def test_hotel_page_links_each_free_room_type_to_its_booking_page(small_hotel):
    stay = {"check_in": small_hotel.day(0), "check_out": small_hotel.day(2), "adults": 2, "children": 0}
    page = Client().get(f"/hotels/{small_hotel.hotel.slug}/", stay)
    assert page.status_code == 200
    links = re.findall(r'href="(/book/\?[^"]+)"', page.content.decode())
    assert len(links) == 1
    booking_page = Client().get(unescape(links[0]))
    assert booking_page.status_code == 200
    [found] = availability_search(hotel=small_hotel.hotel, **stay)
    total = f"{found.quote.total}"
    assert total in page.content.decode()
    assert total in booking_page.content.decode()


def test_sold_out_room_types_have_no_booking_link(one_room_hotel):
    from apps.bookings.services import booking_create
    from tests.factories import UserFactory

    booking_create(
        guest=UserFactory(),
        hotel=one_room_hotel.hotel,
        room_type=one_room_hotel.room_type,
        check_in=one_room_hotel.day(0),
        check_out=one_room_hotel.day(2),
        adults=1,
    )
    stay = {"check_in": one_room_hotel.day(0), "check_out": one_room_hotel.day(2), "adults": 1}
    page = Client().get(f"/hotels/{one_room_hotel.hotel.slug}/", stay)
    assert "/book/?" not in page.content.decode()
    assert "Sold out" in page.content.decode()
