"""The back office in Chromium: the desk's check-in in at most 3 clicks, a live board, housekeeping, the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER, HOUSEKEEPING
from apps.accounts.services import object_role_grant
from apps.accounts.tokens import tokens_for
from apps.bookings import services
from apps.bookings.models import Booking
from apps.hotels.models import Room
from apps.hotels.stays import hotel_today
from tests.bookings.conftest import make_hotel
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("nav >> text=Log out")


def staff(place, role: str, first_name: str):
    user = UserFactory(first_name=first_name)
    object_role_grant(user=user, role=role, scope=place.hotel)
    return user


def arriving_today(place, first_name: str = "Ana") -> Booking:
    today = hotel_today(place.hotel)
    week_ago = timezone.now() - timedelta(days=7)
    booking = services.booking_create(
        guest=UserFactory(first_name=first_name, last_name="Silva"),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=today,
        check_out=today + timedelta(days=2),
        adults=2,
        special_requests="Quiet room, late arrival",
        now=week_ago,
    )
    return services.booking_confirm(booking=booking, now=week_ago)


def shots(page, name: str) -> None:
    """The page as a laptop (1366 px) and a phone (390 px) show it."""
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_desk_checks_a_guest_in_from_the_arrivals_list_in_at_most_three_clicks(page):
    place = make_hotel(rooms=3)
    booking = arriving_today(place)
    arriving_today(place, first_name="Bea")
    log_in(page, staff(place, FRONT_DESK, "Dee"))
    page.goto(f"/staff/hotels/{place.hotel.slug}/arrivals/")
    shots(page, "arrivals")
    clicks = 0
    page.click(f"[data-testid=check-in-{booking.reference}]")
    clicks += 1
    page.wait_for_selector("[data-testid=confirm-check-in]")
    page.select_option("#check-in-form select[name=method]", "cash")  # the balance, in the same step
    page.screenshot(path=f"{SHOTS}/check-in-form-1366.png", full_page=True)
    page.click("[data-testid=confirm-check-in]")
    clicks += 1
    page.wait_for_selector("text=is checked in to room")
    assert clicks <= 3
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert booking.reference not in page.inner_text("#arrival-rows")


def test_a_booking_made_through_the_api_appears_on_an_open_board_without_reload(page):
    place = make_hotel(rooms=3)
    arriving_today(place)
    desk = staff(place, FRONT_DESK, "Dee")
    log_in(page, desk)
    page.goto(f"/staff/hotels/{place.hotel.slug}/board/")
    page.wait_for_selector("#board")
    shots(page, "board")
    page.evaluate("window.boardMarker = 'still the same page'")
    guest = UserFactory(first_name="Api", last_name="Guest")
    check_in = hotel_today(place.hotel) + timedelta(days=3)
    made = page.request.post(
        "/api/v1/bookings/",
        headers={"Authorization": f"Bearer {tokens_for(guest)['access']}"},
        data={
            "hotel": place.hotel.slug,
            "room_type": place.room_type.pk,
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=2)).isoformat(),
            "adults": 1,
        },
    )
    assert made.status == 201, made.text()
    reference = made.json()["reference"]
    page.wait_for_selector(f"#board [data-reference={reference}]", timeout=15_000)
    assert page.evaluate("window.boardMarker") == "still the same page"
    assert "Api Guest" in page.inner_text(f"#board [data-reference={reference}]")


def test_the_housekeeper_marks_a_room_clean(page):
    place = make_hotel(rooms=3)
    room = place.rooms[0]
    Room.objects.filter(pk=room.pk).update(housekeeping="dirty")  # set-up: a room left dirty
    log_in(page, staff(place, HOUSEKEEPING, "Hana"))
    page.goto("/staff/")
    page.click("[data-count=dirty_rooms] a")
    page.wait_for_selector(f"[data-testid=state-{room.number}]")
    shots(page, "housekeeping")
    assert page.inner_text(f"[data-testid=state-{room.number}]") == "Dirty"
    page.click(f"[data-testid=set-{room.number}-clean]")
    page.wait_for_selector(f"[data-testid=state-{room.number}] >> text=Clean")
    assert Room.objects.get(pk=room.pk).housekeeping == "clean"


def test_the_reports_chart_draws_with_no_console_error(page):
    place = make_hotel(rooms=3)
    arriving_today(place)
    log_in(page, staff(place, HOTEL_MANAGER, "Mo"))
    page.goto("/staff/")
    shots(page, "dashboard")
    page.goto(f"/staff/reports/occupancy/?hotel={place.hotel.slug}")
    page.wait_for_selector("#occupancy-chart[data-drawn=true]")
    assert page.evaluate("Boolean(document.getElementById('occupancy-chart').chart)")
    shots(page, "report")
