"""Pages as a browser receives them: search (full page and htmx partial), hotel page, staff pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from apps.hotels.models import RateOverride, Room
from apps.hotels.stays import hotel_today
from apps.offers.models import Offer
from tests.factories import (
    TEST_PASSWORD,
    BookingFactory,
    HotelFactory,
    OfferFactory,
    RoomFactory,
    RoomTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lisbon():
    hotel = HotelFactory(
        name="Harbour View",
        slug="harbour-view",
        city="Lisbon",
        latitude=Decimal("38.7089"),
        longitude=Decimal("-9.1348"),
    )
    room_type = RoomTypeFactory(hotel=hotel, name="Double", base_rate=Decimal("120.00"))
    RoomFactory.create_batch(2, room_type=room_type)
    return hotel


@pytest.fixture
def toronto():
    hotel = HotelFactory(name="Maple Court", slug="maple-court", city="Toronto", time_zone="America/Toronto")
    RoomFactory(room_type=RoomTypeFactory(hotel=hotel, name="King"))
    return hotel


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=TEST_PASSWORD)
    return client


def stay(hotel, nights: int = 2, **extra) -> dict:
    check_in = hotel_today(hotel) + timedelta(days=5)
    return {"check_in": check_in, "check_out": check_in + timedelta(days=nights), "adults": 2, "children": 0, **extra}


def test_home_search_without_javascript_shows_hotels_with_their_cheapest_total(lisbon, toronto):
    page = Client().get("/", {"q": "lisb", **stay(lisbon)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "Harbour View" in html and "Maple Court" not in html
    assert "€264.00" in html  # 2 x 120 + 10 % taxes, from the price engine
    assert "2 rooms left" in html


def test_home_search_as_htmx_returns_only_the_results_partial(lisbon, toronto):
    response = Client().get("/", {"q": "", **stay(lisbon)}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="results"')
    assert "Harbour View" in html and "Maple Court" in html


def test_home_search_shows_a_hotels_own_date_problem(lisbon):
    past = hotel_today(lisbon) - timedelta(days=3)
    html = Client().get("/", {"check_in": past, "check_out": past + timedelta(days=1)}).content.decode()
    assert "Arrival cannot be before today at the hotel" in html


def test_hotel_page_shows_room_types_photos_map_link_and_a_per_night_breakdown(lisbon):
    RateOverride.objects.create(
        room_type=lisbon.room_types.get(), starts_on=hotel_today(lisbon) + timedelta(days=6),
        ends_on=hotel_today(lisbon) + timedelta(days=6), price=Decimal("150.00"),
    )  # fmt: skip
    html = Client().get("/hotels/harbour-view/", stay(lisbon)).content.decode()
    assert "Double" in html and "/static/img/rooms/double.svg" in html
    assert "https://www.openstreetmap.org/?mlat=38.708900&amp;mlon=-9.134800" in html
    assert '<td class="num">120.00' in html and '<td class="num">150.00' in html
    assert "€297.00" in html  # (120 + 150) + 10 % taxes
    partial = Client().get("/hotels/harbour-view/", stay(lisbon), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="availability"') and "€297.00" in partial
    assert Client().get("/hotels/nowhere/").status_code == 404


def test_hotel_page_shows_bad_dates_as_a_message_not_a_crash(lisbon):
    response = Client().get("/hotels/harbour-view/", stay(lisbon, nights=40))
    assert response.status_code == 400
    assert "at most 30 nights" in response.content.decode()


# --- Staff pages ------------------------------------------------------------------------------------------


def test_staff_pages_need_a_login_and_a_staff_right(lisbon):
    assert Client().get("/staff/").status_code == 302
    assert logged_in(UserFactory()).get("/staff/").status_code == 403


def test_desk_opens_a_booking_by_reference_from_the_back_office(lisbon, toronto, staff_of):
    here = BookingFactory(room=lisbon.rooms.first())
    there = BookingFactory(room=toronto.rooms.get())
    client = logged_in(staff_of("front_desk", lisbon))
    index = client.get("/staff/").content.decode()
    assert 'name="booking"' in index and "/staff/refunds/" not in index and "rooms/new/" not in index
    response = client.get("/staff/", {"booking": f" {here.reference.lower()} "})
    assert response.status_code == 302 and response.url == f"/staff/bookings/{here.reference}/payments/"
    missing = client.get("/staff/", {"booking": there.reference})
    assert missing.status_code == 404 and f"No booking {there.reference} at your hotels." in missing.content.decode()


def test_manager_sees_their_hotel_and_adds_rooms_by_range(lisbon, toronto, staff_of):
    client = logged_in(staff_of("hotel_manager", lisbon))
    index = client.get("/staff/").content.decode()
    assert 'href="/staff/hotels/harbour-view/"' in index and "/staff/hotels/harbour-view/rooms/new/" in index
    assert 'href="/staff/refunds/"' in index and 'name="booking"' in index
    assert "Toronto" not in index
    page = client.get("/staff/hotels/harbour-view/").content.decode()
    assert "Double" in page and "Add rooms" in page
    room_type = lisbon.room_types.get()
    response = client.post("/staff/hotels/harbour-view/rooms/new/", {"room_type": room_type.pk, "numbers": "301-310"})
    assert response.status_code == 302
    assert Room.objects.filter(hotel=lisbon, number__startswith="3", floor=3).count() == 10
    again = client.post(
        "/staff/hotels/harbour-view/rooms/new/", {"room_type": room_type.pk, "numbers": "310-311"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert again.status_code == 409 and "Taken: 310" in again.content.decode()
    assert "<html" not in again.content.decode()  # htmx gets the form back in place


def test_staff_of_another_hotel_get_404_on_its_pages(lisbon, toronto, staff_of):
    client = logged_in(staff_of("hotel_manager", toronto))
    room_type = lisbon.room_types.get()
    room = Room.objects.filter(hotel=lisbon).first()
    assert client.get("/staff/hotels/harbour-view/").status_code == 404
    assert client.get("/staff/hotels/harbour-view/rooms/new/").status_code == 404
    assert client.get(f"/staff/room-types/{room_type.pk}/").status_code == 404
    assert client.post(f"/staff/rooms/{room.pk}/status/", {"housekeeping": "dirty"}).status_code == 404
    assert client.get("/staff/hotels/maple-court/").status_code == 200


def test_front_desk_sees_the_hotel_but_cannot_change_the_catalogue(lisbon, staff_of):
    client = logged_in(staff_of("front_desk", lisbon))
    page = client.get("/staff/hotels/harbour-view/").content.decode()
    assert "Double" in page and "Add rooms" not in page and "Add a rate" not in page
    assert client.get("/staff/hotels/harbour-view/rooms/new/").status_code == 403
    assert client.get("/staff/hotels/harbour-view/rates/new/").status_code == 403


def test_manager_adds_a_weekend_rate_and_an_offer_and_switches_it_off(lisbon, staff_of):
    client = logged_in(staff_of("hotel_manager", lisbon))
    room_type = lisbon.room_types.get()
    today = hotel_today(lisbon)
    missing_price = client.post(
        "/staff/hotels/harbour-view/rates/new/",
        {"room_type": room_type.pk, "starts_on": today, "ends_on": today + timedelta(days=30), "min_nights": 1},
    )
    assert (
        missing_price.status_code == 400 and "either a nightly price or an adjustment" in missing_price.content.decode()
    )
    response = client.post(
        "/staff/hotels/harbour-view/rates/new/",
        {"room_type": room_type.pk, "name": "Weekends", "starts_on": today, "ends_on": today + timedelta(days=30),
         "weekdays": ["4", "5"], "adjustment": "25.00", "min_nights": 1},
    )  # fmt: skip
    assert response.status_code == 302
    assert RateOverride.objects.get().weekdays == [4, 5]

    response = client.post(
        "/staff/hotels/harbour-view/offers/new/",
        {"name": "Spring", "code": "spring", "kind": "percent", "value": "15", "min_nights": 2, "is_active": "on",
         "is_public": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    offer = Offer.objects.get(code="SPRING")
    assert offer.hotel == lisbon
    client.post(f"/staff/offers/{offer.pk}/toggle/")
    offer.refresh_from_db()
    assert not offer.is_active


def test_offer_form_shows_a_taken_code_beside_the_form(lisbon, staff_of):
    OfferFactory(hotel=lisbon, code="TAKEN")
    client = logged_in(staff_of("hotel_manager", lisbon))
    response = client.post(
        "/staff/hotels/harbour-view/offers/new/", {"name": "X", "code": "taken", "kind": "percent", "value": "5",
                                                   "min_nights": 1},
    )  # fmt: skip
    assert response.status_code == 400 and "Another offer already uses this code." in response.content.decode()


def test_back_office_link_shows_for_staff_only(lisbon, staff_of):
    assert "Back office" not in logged_in(UserFactory()).get("/").content.decode()
    assert "Back office" in logged_in(staff_of("front_desk", lisbon)).get("/").content.decode()
