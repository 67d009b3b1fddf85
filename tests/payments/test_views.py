"""The pages: the pay step, receipts, the desk form, the guest's refund form and the staff queue."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from apps.bookings.models import Booking
from apps.payments.models import Payment
from apps.refunds.models import Refund
from apps.refunds.services import refund_request
from tests.factories import UserFactory
from tests.payments.conftest import post_webhook, signed

pytestmark = pytest.mark.django_db


def test_the_pay_step_opens_the_providers_page(held, client):
    client.force_login(held.guest)
    page = client.get(f"/bookings/{held.reference}/pay/")
    assert page.status_code == 200 and "Pay €220.00 online" in page.content.decode()
    response = client.post(f"/bookings/{held.reference}/pay/")
    payment = Payment.objects.get(booking=held)
    assert response.status_code == 302 and response["Location"] == f"/pay/sim/{payment.provider_reference}/"
    assert client.get(response["Location"]).status_code == 200


def test_someone_elses_booking_has_no_pay_page(held, client):
    client.force_login(UserFactory())
    assert client.get(f"/bookings/{held.reference}/pay/").status_code == 404


def test_the_receipt_is_for_the_guest_and_the_hotel_only(pending, held, client, desk_clerk):
    body, header = signed(pending)
    post_webhook(body, header)
    client.force_login(held.guest)
    page = client.get(f"/payments/{pending.pk}/receipt/").content.decode()
    assert f"Receipt P-{pending.pk}" in page and "card ending 4242" in page and "Confirmed" in page
    client.force_login(desk_clerk)
    assert client.get(f"/payments/{pending.pk}/receipt/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/payments/{pending.pk}/receipt/").status_code == 404


def test_the_desk_records_cash_and_the_hold_is_confirmed(held, client, desk_clerk):
    client.force_login(desk_clerk)
    assert client.get(f"/staff/bookings/{held.reference}/payments/").status_code == 200
    response = client.post(f"/staff/bookings/{held.reference}/payments/", {"method": "cash", "amount": ""})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    again = client.post(
        f"/staff/bookings/{held.reference}/payments/", {"method": "cash", "amount": "5.00"}, HTTP_HX_REQUEST="true"
    )
    assert again.status_code == 409 and "Nothing is due" in again.content.decode()


def test_the_booking_page_leads_the_desk_to_its_payments_and_the_guest_to_receipts(held, client, desk_clerk):
    desk_url = f"/staff/bookings/{held.reference}/payments/"
    client.force_login(desk_clerk)
    page = client.get(f"/bookings/{held.reference}/").content.decode()
    assert f'href="{desk_url}"' in page and 'href="/staff/"' in page and "My bookings</a></p>" not in page
    assert client.post(desk_url, {"method": "cash", "amount": ""}).status_code == 302
    client.force_login(held.guest)
    page = client.get(f"/bookings/{held.reference}/").content.decode()
    assert desk_url not in page and "Confirmed and paid. Show reference" in page
    assert re.search(r'href="/payments/\d+/receipt/">Receipt</a>', page)


def test_a_guest_cannot_use_the_desk_form(held, client):
    client.force_login(held.guest)
    assert client.get(f"/staff/bookings/{held.reference}/payments/").status_code == 403


def test_the_guest_asks_for_a_refund_on_the_booking_page(pending, held, client):
    body, header = signed(pending)
    post_webhook(body, header)
    client.force_login(held.guest)
    url = f"/bookings/{held.reference}/refund/"
    page = client.get(url).content.decode()
    assert re.search(r"Can still be refunded</strong></dt>\s*<dd[^>]*><strong>€220.00<", page)
    too_much = client.post(url, {"amount": "500.00", "reason": ""}, HTTP_HX_REQUEST="true")
    assert too_much.status_code == 400 and "At most €220.00 can be refunded" in too_much.content.decode()
    assert client.post(url, {"amount": "40.00", "reason": "Left early"}).status_code == 302
    assert Refund.objects.get(booking=held).amount == Decimal("40.00")
    assert "Left early" in client.get(url).content.decode()


def test_the_queue_shows_policy_and_payments_and_approves_in_place(pending, held, client, manager, desk_clerk):
    body, header = signed(pending)
    post_webhook(body, header)
    refund = refund_request(booking=held, amount=Decimal("30.00"), reason="Noise", requested_by=held.guest)
    client.force_login(desk_clerk)
    assert client.get("/staff/refunds/").status_code == 403
    client.force_login(manager)
    page = client.get("/staff/refunds/").content.decode()
    assert "Noise" in page and "Free cancellation until" in page and "Online · €220.00 · Succeeded" in page
    answer = client.post(f"/staff/refunds/{refund.pk}/approve/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert 'data-testid="refund-status">Approved' in answer.content.decode() or "Refunded" in answer.content.decode()
    twice = client.post(f"/staff/refunds/{refund.pk}/reject/", HTTP_HX_REQUEST="true")
    assert twice.status_code == 409 and "already" in twice.content.decode()
