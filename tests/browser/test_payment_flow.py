"""A guest pays a held booking with the test card on the simulated provider's page, then cancels and sees the refund."""

from __future__ import annotations

import pytest

from apps.accounts.tokens import tokens_for
from apps.bookings.models import Booking
from apps.refunds.models import Refund
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory
from tests.payments.conftest import hold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pay_with_the_test_card_then_cancel_and_see_the_refund(page):
    guest = UserFactory(email="payer@example.com", first_name="Pat")
    booking = hold(make_hotel(rooms=1), guest=guest)

    page.goto("/accounts/login/")
    page.fill("#id_username", guest.email)
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button[type=submit]")
    page.wait_for_selector("nav >> text=Pat")

    page.goto(f"/bookings/{booking.reference}/pay/")
    page.click("text=Pay €220.00 online")
    page.wait_for_selector("text=Simulated payment provider")
    page.fill("#id_number", "4000 0000 0000 0002")
    page.fill("#id_expiry", "12/30")
    page.fill("#id_cvc", "123")
    page.fill("#id_name", "Pat Payer")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=declined]")  # a clear message, and the hold is still there
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD

    page.fill("#id_number", "4242 4242 4242 4242")
    page.fill("#id_expiry", "12/30")
    page.fill("#id_cvc", "123")
    page.fill("#id_name", "Pat Payer")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Receipt P-")
    assert page.inner_text("[data-testid=booking-status]") == "Confirmed"
    assert page.inner_text("[data-testid=payment-status]") == "Succeeded"
    page.screenshot(path="var/screenshots/payment-receipt.png", full_page=True)

    # Cancel through the public API (the booking pages live elsewhere): the policy proposes a refund.
    access = tokens_for(guest)["access"]
    cancelled = page.request.post(
        f"/api/v1/bookings/{booking.reference}/cancel/",
        headers={"Authorization": f"Bearer {access}"},
        data={"reason": "Plans changed"},
    )
    assert cancelled.status == 200
    proposed = cancelled.json()["refund"]["refund"]

    page.goto(f"/bookings/{booking.reference}/refund/")
    refunds = page.inner_text("[data-testid=refunds]")
    assert f"€{proposed}" in refunds and "Requested" in refunds and "cancellation policy" in refunds
    assert Refund.objects.get(booking=booking).amount == booking.total
    page.screenshot(path="var/screenshots/payment-refund.png", full_page=True)
