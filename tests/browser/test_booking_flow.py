"""A visitor books a room through real Chromium: from the search, inline sign-up, hold with countdown, pay at the hotel,
new dates priced first, cancel with the terms first.

Screenshots of every step, at laptop and phone widths, land in var/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail

from apps.accounts.models import User
from apps.bookings.models import Booking
from tests.bookings.conftest import make_hotel
from tests.browser.conftest import SCREENSHOTS
from tests.factories import OfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(page, name: str) -> None:
    """The page as a laptop and as a phone shows it."""
    page.screenshot(path=str(SCREENSHOTS / f"booking-{name}.png"), full_page=True, caret="initial")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"booking-{name}-phone.png"), full_page=True, caret="initial")
    page.set_viewport_size(LAPTOP)


def confirm_email_through_the_link(page, booking: Booking) -> None:
    """Pay at the hotel waits for a confirmed address: the page says so, the emailed link confirms it."""
    refused = page.locator("[data-pay-at-hotel-refused]")
    assert "confirm your email address first" in refused.inner_text()
    assert not page.is_visible("text=Confirm and pay at the hotel")
    (message,) = [m for m in mail.outbox if m.to == [booking.guest.email] and "/accounts/verify/" in m.body]
    page.goto(urlsplit(re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)).path)
    page.goto(f"/bookings/{booking.reference}/")


def test_visitor_signs_up_inline_books_confirms_moves_and_cancels(page):
    place = make_hotel(rooms=2, name="Casa do Rio", slug="casa-do-rio", address="Rua das Flores 12")
    place.room_type.extra_child_charge = "15.00"
    place.room_type.save()
    OfferFactory(hotel=place.hotel, code="RIVER10", kind="percent", value="10.00")
    query = {
        "hotel": place.hotel.slug,
        "room_type": place.room_type.pk,
        "check_in": place.day(0).isoformat(),
        "check_out": place.day(3).isoformat(),
        "adults": 2,
        "children": 1,
    }
    page.goto("/book/?" + urlencode(query))
    assert page.is_visible("text=Your stay")
    assert page.is_visible("text=Casa do Rio")

    # An offer code re-prices the stay in place (htmx), and the address bar keeps the new link.
    page.fill("#id_offer_code", "river10")
    page.click("text=Apply")
    page.wait_for_selector("text=Code RIVER10 applied.")
    assert "offer_code=river10" in page.url
    shoot(page, "1-book")

    # New here: the account is made on the booking form, the stay is not lost.
    page.check("input[name=account][value=new]")
    page.fill("#id_email", "river.guest@example.com")
    page.fill("#id_password", "short")
    page.fill("#id_first_name", "Rosa")
    page.fill("#id_last_name", "Duarte")
    page.click("text=Hold this room")
    page.wait_for_selector("text=This password is too short")
    assert not User.objects.filter(email="river.guest@example.com").exists()
    shoot(page, "2-book-error")

    page.fill("#id_password", "quiet-room-on-the-top-floor")
    page.fill("#id_phone", "+351 912 345 678")
    page.fill("#id_special_requests", "Arriving late, around 23:00.")
    page.click("text=Hold this room")
    page.wait_for_url(re.compile(r"/bookings/HBS-[A-Z0-9]{6}/$"))
    booking = Booking.objects.get(guest__email="river.guest@example.com")
    assert booking.status == Booking.Status.HELD and booking.offer.code == "RIVER10"
    assert page.is_visible(f"text={booking.reference}")
    assert page.is_visible("nav >> text=Rosa")
    # The countdown is the static script's work: it ticks from the data-expires-at instant.
    countdown = page.locator("[data-countdown]")
    countdown.wait_for()
    page.wait_for_function("document.querySelector('[data-countdown]').textContent.includes('left')")
    assert re.fullmatch(r"1[45]:\d\d left\.", countdown.inner_text())
    shoot(page, "3-held")

    confirm_email_through_the_link(page, booking)
    page.click("text=Confirm and pay at the hotel")
    page.wait_for_url(f"**/bookings/{booking.reference}/confirmed/")
    assert page.is_visible("text=Your booking is confirmed")
    assert page.locator(".reference").first.inner_text() == booking.reference
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    shoot(page, "4-confirmed")

    page.click("nav >> text=My bookings")
    page.wait_for_url(lambda url: urlsplit(url).path == "/bookings/")
    assert page.is_visible(f"#bookings >> text={booking.reference}")
    shoot(page, "5-my-bookings")

    page.click(f"text={booking.reference}")
    page.wait_for_url(f"**/bookings/{booking.reference}/")

    # New dates are priced first; nothing moves until the guest confirms the new price.
    page.click("text=Change dates")
    page.wait_for_url(f"**/bookings/{booking.reference}/change-dates/")
    page.fill("#id_check_in", place.day(1).isoformat())
    page.fill("#id_check_out", place.day(3).isoformat())
    page.click("text=See the new price")
    page.wait_for_selector("text=less than now")
    booking.refresh_from_db()
    assert booking.check_in == place.day(0)
    shoot(page, "6-change-dates")
    page.click("#date-quote button")
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    page.wait_for_selector("text=Your stay now runs from")
    booking.refresh_from_db()
    assert (booking.check_in, booking.check_out) == (place.day(1), place.day(3))

    page.click("text=Cancel booking")
    page.wait_for_url(f"**/bookings/{booking.reference}/cancel/")
    # The terms come first; nothing has changed yet.
    assert page.is_visible("text=What cancelling now means")
    assert page.is_visible("text=Free cancellation")
    assert page.is_visible("text=Cancelling now is free.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    shoot(page, "7-cancel-terms")

    page.fill("#id_reason", "Plans changed")
    page.click("text=Cancel my booking")
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    page.wait_for_selector(f"text=Booking {booking.reference} is cancelled. Nothing is charged.")
    assert page.locator(".status").first.inner_text() == "Cancelled"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    shoot(page, "8-cancelled")


def test_visitor_searches_a_city_books_from_the_result_confirms_and_cancels(page):
    """Issue 7's acceptance: search → hotel page → book (inline sign-up) → confirm at the hotel → cancel."""
    place = make_hotel(rooms=2, name="Casa da Ribeira", slug="casa-da-ribeira", city="Porto")
    make_hotel(rooms=1, name="Quinta do Vale", slug="quinta-do-vale", city="Évora")
    check_in, check_out = place.day(4), place.day(6)

    page.goto("/")
    page.fill("#id_q", "Porto")
    page.fill("#id_check_in", check_in.isoformat())
    page.fill("#id_check_out", check_out.isoformat())
    page.fill("#id_adults", "2")
    page.fill("#id_children", "1")
    page.click("form.search button[type=submit]")
    result = page.locator("#results article.hotel-result")
    result.first.locator("text=See rooms and prices").wait_for()
    assert result.count() == 1 and "Casa da Ribeira" in result.inner_text()
    assert "Quinta do Vale" not in page.locator("#results").inner_text()
    # The address bar keeps the search, so the results can be shared or reloaded.
    assert f"check_in={check_in.isoformat()}" in page.url and "q=Porto" in page.url
    shoot(page, "search-1-results")

    result.locator("text=See rooms and prices").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/hotels/casa-da-ribeira/")
    # The stay carries over: same dates and party on the hotel page, priced per night.
    assert page.input_value("#id_check_in") == check_in.isoformat()
    assert page.input_value("#id_children") == "1"
    offer = page.locator("#availability article.room-offer").first
    assert "Double" in offer.inner_text() and "Nights (2)" in offer.inner_text()
    shoot(page, "search-2-hotel")

    offer.locator("text=Book this room").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/book/")
    assert page.is_visible("text=Your stay")
    facts = page.locator(".stay-facts").inner_text()
    assert "Casa da Ribeira" in facts and "2 adults, 1 child" in facts
    page.check("input[name=account][value=new]")
    page.fill("#id_email", "porto.guest@example.com")
    page.fill("#id_password", "a-window-over-the-douro")
    page.fill("#id_first_name", "Inês")
    page.fill("#id_last_name", "Moura")
    page.click("text=Hold this room")
    page.wait_for_url(re.compile(r"/bookings/HBS-[A-Z0-9]{6}/$"))
    booking = Booking.objects.get(guest__email="porto.guest@example.com")
    assert booking.status == Booking.Status.HELD
    assert (booking.check_in, booking.check_out, booking.adults, booking.children) == (check_in, check_out, 2, 1)
    assert page.is_visible("nav >> text=Inês")
    shoot(page, "search-3-held")

    confirm_email_through_the_link(page, booking)
    page.click("text=Confirm and pay at the hotel")
    page.wait_for_url(f"**/bookings/{booking.reference}/confirmed/")
    assert page.is_visible("text=Your booking is confirmed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    page.click("text=See the booking")
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    page.click("text=Cancel booking")
    page.wait_for_url(f"**/bookings/{booking.reference}/cancel/")
    # The terms come first; nothing has changed yet.
    assert page.is_visible("text=What cancelling now means")
    assert page.is_visible("text=Cancelling now is free.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    shoot(page, "search-4-cancel-terms")

    page.click("text=Cancel my booking")
    page.wait_for_url(f"**/bookings/{booking.reference}/")
    page.wait_for_selector(f"text=Booking {booking.reference} is cancelled. Nothing is charged.")
    assert page.locator(".status").first.inner_text() == "Cancelled"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
