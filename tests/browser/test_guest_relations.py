"""Reviews and tickets through real Chromium: a guest reviews a stay and sees it on the hotel page; the desk
answers a ticket with an internal note beside it; the guest sees the answer and never the note.

Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import pytest

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from apps.reviews.models import Review
from apps.support.services import ticket_open
from tests.bookings.conftest import make_hotel
from tests.browser.conftest import SCREENSHOTS
from tests.factories import CheckedOutBookingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"
INTERNAL = "Guest called twice, be extra kind"


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector(f"nav >> text={user.first_name}")


def log_out(page) -> None:
    page.click("nav >> text=Log out")
    page.wait_for_selector("nav >> text=Log in")


def test_guest_reviews_a_checked_out_stay_and_sees_it_on_the_hotel_page(page):
    place = make_hotel(rooms=1, name="Casa do Mar", slug="casa-do-mar")
    guest = UserFactory(first_name="Rita", last_name="Mendes")
    stay = CheckedOutBookingFactory(guest=guest, hotel=place.hotel, room=place.rooms[0], room_type=place.room_type)
    log_in(page, guest)

    page.click("nav >> text=My bookings")
    page.click("text=Review your stay")
    page.wait_for_url(f"**/bookings/{stay.reference}/review/")
    page.check("input[name=rating][value='5']")
    page.click("text=Rate the details (optional)")
    page.select_option("#id_cleanliness", "4")
    page.fill("#id_title", "Woke up to the sea")
    page.fill("#id_text", "Spotless room and the kindest desk.")
    page.screenshot(path=str(SCREENSHOTS / "review-1-write.png"), full_page=True)
    page.click("text=Publish my review")
    page.wait_for_url("**/hotels/casa-do-mar/#reviews")

    reviews = page.locator("#reviews")
    reviews.wait_for()
    assert "Woke up to the sea" in reviews.inner_text()
    assert "Rita M." in reviews.inner_text()
    assert page.is_visible("text=★ 5.0")
    page.screenshot(path=str(SCREENSHOTS / "review-2-hotel-page.png"), full_page=True)
    assert Review.objects.get(booking=stay).cleanliness == 4

    page.click("nav >> text=My bookings")
    page.wait_for_selector("text=Your review: 5/5")
    assert not page.is_visible("text=Review your stay")


def test_the_desk_answers_a_ticket_and_the_guest_sees_the_answer_not_the_note(page):
    place = make_hotel(rooms=1, name="Casa do Rio", slug="casa-do-rio-help")
    guest = UserFactory(first_name="Tomas", last_name="Silva")
    desk = UserFactory(first_name="Dora", last_name="Desk")
    object_role_grant(user=desk, role=FRONT_DESK, scope=place.hotel)
    ticket = ticket_open(
        guest=guest, hotel=place.hotel, subject="Late arrival", category="booking", message="We land at 1am."
    )

    log_in(page, desk)
    page.click("nav >> text=Tickets")
    page.wait_for_selector(f"text=#{ticket.pk} Late arrival")
    page.screenshot(path=str(SCREENSHOTS / "ticket-1-queue.png"), full_page=True)
    page.click(f"text=#{ticket.pk} Late arrival")
    page.wait_for_url(f"**/staff/tickets/{ticket.pk}/")
    page.click("text=Assign to me")
    page.wait_for_selector("[data-testid=assignee] >> text=Dora Desk")

    page.fill("#id_body", INTERNAL)
    page.check("#id_internal")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector(f".internal-note >> text={INTERNAL}")
    page.fill("#id_body", "No problem: the desk is open all night.")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector("text=No problem: the desk is open all night.")
    page.screenshot(path=str(SCREENSHOTS / "ticket-2-desk.png"), full_page=True)
    ticket.refresh_from_db()
    assert ticket.status == "waiting_on_guest"
    log_out(page)

    log_in(page, guest)
    page.click("nav >> text=Help")
    page.click("text=Late arrival")
    page.wait_for_url(f"**/help/{ticket.pk}/")
    thread = page.locator("#thread").inner_text()
    assert "No problem: the desk is open all night." in thread
    assert INTERNAL not in page.content()
    page.fill("#id_body", "Thank you!")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector("#thread >> text=Thank you!")
    page.screenshot(path=str(SCREENSHOTS / "ticket-3-guest.png"), full_page=True)
    assert INTERNAL not in page.content()
