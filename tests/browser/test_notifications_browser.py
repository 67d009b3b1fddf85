"""The bell counts live: the desk cancels a guest's booking while the guest's page is open, and the guest's bell
shows the new count without a reload (websocket over the Redis layer, through a real uvicorn).

Django's live_server speaks WSGI only, so this test serves the ASGI application with uvicorn itself.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from apps.bookings.services import booking_confirm
from apps.notifications.models import Notification
from tests.bookings.conftest import make_hotel
from tests.browser.conftest import SCREENSHOTS
from tests.factories import TEST_PASSWORD, UserFactory
from tests.notifications.conftest import hold
from tests.notifications.server import running_asgi_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, base: str, user):  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(email=user.email, password=TEST_PASSWORD)
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context


def watch_for_problems(page, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))


def test_the_guests_bell_counts_up_when_the_desk_cancels_their_booking(browser):
    place = make_hotel(name="Casa do Rio", slug="casa-do-rio")
    desk = UserFactory(first_name="Dora")
    object_role_grant(user=desk, role=FRONT_DESK, scope=place.hotel)
    guest = UserFactory(first_name="Rosa")
    booking = hold(place, guest=guest)
    booking_confirm(booking=booking)
    assert Notification.objects.filter(user=guest, read_at__isnull=True).count() == 2  # held, confirmed
    problems: list[str] = []

    with running_asgi_server() as base:
        guest_context = signed_in_context(browser, base, guest)
        guest_page = guest_context.new_page()
        watch_for_problems(guest_page, problems)
        guest_page.goto("/bookings/")
        badge = guest_page.locator("[data-bell] [data-unread-count]")
        assert badge.inner_text() == "2"
        # The bell's script marks it live once its socket is open.
        expect(guest_page.locator("[data-bell]")).to_have_attribute("data-live", "on")

        desk_context = signed_in_context(browser, base, desk)
        desk_page = desk_context.new_page()
        watch_for_problems(desk_page, problems)
        desk_page.goto(f"/bookings/{booking.reference}/cancel/")
        desk_page.click("text=Cancel the guest's booking")
        desk_page.wait_for_selector("text=cancelled", timeout=10000)

        # No reload: the open page hears of it over the websocket.
        expect(badge).to_have_text("3", timeout=5000)
        expect(guest_page.locator("[data-bell]")).to_have_attribute("aria-label", "Notifications: 3 unread")
        guest_page.screenshot(path=str(SCREENSHOTS / "notifications-bell-live.png"))
        assert guest_page.url.endswith("/bookings/")  # still the same page, never reloaded

        # The notifications page lists the cancellation first and marks it read in place.
        guest_page.click("[data-bell]")
        guest_page.wait_for_selector(f"text=Booking cancelled: {booking.reference}")
        first = guest_page.locator("[data-notification]").first
        assert "Booking cancelled" in first.inner_text()
        first.locator("text=Mark read").click()
        expect(badge).to_have_text("2", timeout=5000)
        guest_page.screenshot(path=str(SCREENSHOTS / "notifications-page.png"), full_page=True)
        guest_context.close()
        desk_context.close()
    assert not problems, problems
