"""Every page a visitor, a guest, the desk and a manager open, in Chromium: each answers and logs no script,
CSP or missing-asset error (the `page` fixture fails the test on any), at a laptop's and a phone's width."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.bookings import services
from apps.cms.services import page_publish
from apps.hotels.stays import hotel_today
from apps.reviews.services import review_create
from apps.support.services import ticket_open
from tests.bookings.conftest import make_hotel
from tests.browser.test_back_office import log_in
from tests.factories import CheckedOutBookingFactory, PageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    place = make_hotel(rooms=3)
    hotel = place.hotel
    guest = UserFactory(first_name="Ana")
    today = hotel_today(hotel)
    upcoming = services.booking_confirm(
        booking=services.booking_create(
            guest=guest,
            hotel=hotel,
            room_type=place.room_type,
            check_in=today + timedelta(days=10),
            check_out=today + timedelta(days=12),
            adults=2,
        )
    )
    stay = CheckedOutBookingFactory(guest=guest, hotel=hotel, room=place.rooms[1], room_type=place.room_type)
    review = review_create(author=guest, booking=stay, rating=5, text="Quiet room, kind people at the desk.")
    ticket = ticket_open(guest=guest, hotel=hotel, subject="Parking", category="other", message="Is there parking?")
    content = page_publish(page=PageFactory(slug="about-us", title="About us"), editor=None)
    desk, manager = UserFactory(first_name="Rui"), UserFactory(first_name="Marta")
    object_role_grant(user=desk, role=FRONT_DESK, scope=hotel)
    object_role_grant(user=manager, role=HOTEL_MANAGER, scope=hotel)
    stay_link = (
        f"/book/?hotel={hotel.slug}&room_type={place.room_type.pk}&check_in={today + timedelta(days=20)}"
        f"&check_out={today + timedelta(days=22)}&adults=2&children=0"
    )
    slug, ref = hotel.slug, upcoming.reference
    public = ["/", f"/hotels/{slug}/", f"/hotels/{slug}/reviews/", f"/pages/{content.slug}/", stay_link]
    return {
        "visitor": (None, [*public, "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]),
        "guest": (
            guest,
            [
                *public,
                "/bookings/",
                f"/bookings/{ref}/",
                f"/bookings/{ref}/change-dates/",
                f"/reviews/{review.pk}/edit/",
                "/notifications/",
                "/notifications/preferences/",
                "/help/",
                "/help/new/",
                f"/help/{ticket.pk}/",
                "/accounts/profile/",
                "/accounts/password/change/",
            ],
        ),
        "desk": (
            desk,
            [
                "/staff/",
                f"/staff/hotels/{slug}/arrivals/",
                f"/staff/hotels/{slug}/departures/",
                f"/staff/hotels/{slug}/in-house/",
                f"/staff/hotels/{slug}/find/?q={ref}",
                f"/staff/hotels/{slug}/board/",
                f"/staff/hotels/{slug}/housekeeping/",
                f"/staff/bookings/{ref}/payments/",
                "/staff/tickets/",
                f"/staff/tickets/{ticket.pk}/",
            ],
        ),
        "manager": (
            manager,
            [
                "/staff/",
                f"/staff/hotels/{slug}/",
                f"/staff/hotels/{slug}/staff/",
                f"/staff/hotels/{slug}/blocks/",
                f"/staff/room-types/{place.room_type.pk}/",
                "/staff/refunds/",
                "/staff/reviews/",
                "/staff/reports/occupancy/",
                f"/staff/hotels/{slug}/offers/new/",
            ],
        ),
    }


@pytest.mark.parametrize("who", ["visitor", "guest", "desk", "manager"])
def test_every_page_opens_clean_at_laptop_and_phone_width(page, world, who):
    user, paths = world[who]
    if user is not None:
        log_in(page, user)
    for path in paths:
        for viewport in ({"width": 1366, "height": 900}, PHONE):
            page.set_viewport_size(viewport)
            response = page.goto(path)
            assert response is not None and response.status == 200, (who, path, response and response.status)
            assert "/accounts/login/" not in page.url or user is None, (who, path, page.url)
            page.wait_for_load_state("networkidle")
