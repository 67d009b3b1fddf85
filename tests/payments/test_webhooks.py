"""Online payments end to end: the signed webhook is the only way a payment succeeds."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from apps.audit.models import OutboxEntry
from apps.bookings.logs import BOOKING_LOGS
from apps.bookings.models import Booking
from apps.bookings.services import booking_cancel, booking_expire_holds
from apps.payments.models import Payment, WebhookEvent
from apps.payments.providers import PAYMENT_FAILED
from apps.payments.providers import simulated as sim
from apps.payments.services import payment_start_online
from apps.refunds.models import Refund
from tests.clients import client_for
from tests.payments.conftest import hold, post_webhook, signed

pytestmark = pytest.mark.django_db


def booking_events(booking: Booking) -> list[str]:
    rows = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__reference=booking.reference)
    return [row.document["event"] for row in rows.order_by("pk")]


def test_held_booking_paid_online_through_a_signed_webhook_is_confirmed(held, commit):
    response = client_for(held.guest).post(
        f"/api/v1/bookings/{held.reference}/payments/", {"method": "online"}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending" and data["amount"] == f"{held.total:.2f}" and data["currency"] == "EUR"
    assert "/pay/sim/" in data["redirect_url"]
    payment = Payment.objects.get(pk=data["id"])

    body, header = signed(payment)
    answer = commit(lambda: post_webhook(body, header))

    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"received": True, "replayed": False, "outcome": "confirmed"}
    held.refresh_from_db()
    payment.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    assert payment.status == Payment.Status.SUCCEEDED and payment.card_last4 == "4242"
    assert booking_events(held) == ["created", "confirmed"]
    assert {m.subject.split(":")[0] for m in mail.outbox} >= {"Receipt for your payment", "Booking confirmed"}
    assert OutboxEntry.objects.filter(document__entity="payments.payment", document__entity_id=str(payment.pk)).exists()


def test_a_declined_card_fails_the_payment_and_leaves_the_hold(pending, held):
    body, header = signed(pending, PAYMENT_FAILED, failure_message=sim.DECLINED_MESSAGE)
    assert post_webhook(body, header).status_code == 200
    pending.refresh_from_db()
    held.refresh_from_db()
    assert pending.status == Payment.Status.FAILED
    assert pending.failure_message == sim.DECLINED_MESSAGE
    assert held.status == Booking.Status.HELD


def test_the_simulated_page_says_clearly_when_a_card_is_declined(pending, held, client):
    client.force_login(held.guest)
    url = f"/pay/sim/{pending.provider_reference}/"
    card = {"step": "card", "expiry": "12/30", "cvc": "123", "name": "Sam Guest"}
    response = client.post(url, {**card, "number": "4000 0000 0000 0002"})
    assert response.status_code == 402
    assert "Your card was declined" in response.content.decode()
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD
    # The guest tries again with a good card on the same page: now it goes through.
    again = client.post(url, {**card, "number": "4242 4242 4242 4242"})
    assert again.status_code == 302 and again["Location"] == f"/payments/{pending.pk}/receipt/"
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_three_d_secure_asks_for_a_confirmation_before_paying(pending, held, client):
    url = f"/pay/sim/{pending.provider_reference}/"
    card = {"step": "card", "number": "4000 0027 6000 3184", "expiry": "12/30", "cvc": "123", "name": "Sam"}
    step = client.post(url, card)
    assert step.status_code == 200 and "Confirm with your bank" in step.content.decode()
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD  # nothing happens before the confirmation
    challenge = step.context["challenge"]
    done = client.post(url, {"step": "3ds", "challenge": challenge, "answer": "confirm"})
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_an_unknown_card_is_a_form_error_and_sends_nothing(pending, client):
    url = f"/pay/sim/{pending.provider_reference}/"
    response = client.post(url, {"step": "card", "number": "1111 2222", "expiry": "12/30", "cvc": "1", "name": "x"})
    assert response.status_code == 400
    assert "test cards only" in response.content.decode()
    assert WebhookEvent.objects.count() == 0


def test_forged_stale_and_missing_signatures_are_400_and_change_nothing(pending, held):
    body, _ = signed(pending)
    forged = sim.signature_header(body=body, secret=b"not-our-secret")
    stale = sim.signature_header(body=body, timestamp=int(time.time()) - 301)
    tampered_body = body.replace(b'"4242"', b'"9999"')
    _, good_header = signed(pending)
    for answer in (
        post_webhook(body, forged),
        post_webhook(body, stale),
        post_webhook(body, None),
        post_webhook(body, "t=abc,v1="),
        post_webhook(tampered_body, sim.signature_header(body=body)),
        post_webhook(b"not json", good_header),
    ):
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] in {"invalid_signature"}
    pending.refresh_from_db()
    held.refresh_from_db()
    assert pending.status == Payment.Status.PENDING and held.status == Booking.Status.HELD
    assert WebhookEvent.objects.count() == 0


def test_a_replayed_event_answers_200_and_has_no_second_effect(pending, held, commit):
    body, header = signed(pending)
    first = commit(lambda: post_webhook(body, header))
    mails = len(mail.outbox)
    again = commit(lambda: post_webhook(body, header))
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True
    assert WebhookEvent.objects.count() == 1
    assert booking_events(held).count("confirmed") == 1
    assert len(mail.outbox) == mails


def test_an_unknown_provider_is_404():
    answer = APIClient().post("/api/v1/payments/webhook/nope/", data=b"{}", content_type="application/json")
    assert answer.status_code == 404


def test_payment_after_the_hold_expired_reholds_the_free_room_and_confirms(pending, held, commit):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert booking_expire_holds() == 1
    body, header = signed(pending)
    answer = commit(lambda: post_webhook(body, header))
    assert answer.json()["outcome"] == "reheld_confirmed"
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    assert booking_events(held) == ["created", "expired", "reheld", "confirmed"]


def test_payment_after_the_hold_expired_and_the_room_went_is_refunded_and_the_guest_told(place, commit):
    one_room = place.rooms[1]
    one_room.in_service = False
    one_room.save()
    late = hold(place)
    payment = payment_start_online(booking=late, started_by=late.guest).payment
    Booking.objects.filter(pk=late.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    booking_expire_holds()
    rival = hold(place)  # takes the only room in service
    assert rival.room_id == late.room_id
    mail.outbox.clear()

    body, header = signed(payment)
    answer = commit(lambda: post_webhook(body, header))

    assert answer.json()["outcome"] == "refunded_room_taken"
    late.refresh_from_db()
    payment.refresh_from_db()
    assert late.status == Booking.Status.EXPIRED
    refund = Refund.objects.get(payment=payment)
    assert refund.source == Refund.Source.AUTOMATIC and refund.amount == payment.amount
    assert refund.status == Refund.Status.REFUNDED  # the worker ran on commit
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_amount == payment.amount
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("We are returning your payment") for s in subjects)


def test_a_payment_for_a_booking_cancelled_meanwhile_goes_back(pending, held, commit):
    booking_cancel(booking=held)
    body, header = signed(pending)
    answer = commit(lambda: post_webhook(body, header))
    assert answer.json()["outcome"] == "refunded_cancelled"
    pending.refresh_from_db()
    assert pending.status == Payment.Status.REFUNDED
