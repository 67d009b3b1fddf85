"""Refunds: never more than was paid, decided by the right people, paid out by the worker."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.roles import HOTEL_MANAGER
from apps.bookings.models import Booking
from apps.core.errors import ApplicationError
from apps.payments.models import Payment
from apps.payments.providers import ProviderError
from apps.payments.providers.simulated import SimulatedProvider
from apps.payments.selectors import booking_balance
from apps.payments.services import payment_record_desk
from apps.refunds.models import Refund
from apps.refunds.services import refund_process, refund_request, refund_retry_due
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.concurrency import kinds, race
from tests.factories import UserFactory
from tests.payments.conftest import hold, post_webhook, signed, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(pending, held, commit) -> Payment:
    """The held booking, paid online in full (220.00 EUR) and confirmed."""
    body, header = signed(pending)
    commit(lambda: post_webhook(body, header))
    pending.refresh_from_db()
    return pending


def ask(user, booking, amount, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {"booking": booking.reference, "amount": amount, "reason": "Plans changed"}
    return client_for(user).post("/api/v1/refunds/", body, format="json", **headers)


def decide(user, refund_id, verb):
    return client_for(user).post(f"/api/v1/refunds/{refund_id}/{verb}/", {}, format="json")


def test_a_guest_asks_for_part_of_the_payment_back(paid, held):
    response = ask(held.guest, held, "80.00")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "requested" and data["amount"] == "80.00" and data["source"] == "guest"
    balance = booking_balance(booking=held)
    assert (balance.paid, balance.pending_refunds, balance.refundable) == (
        Decimal("220.00"),
        Decimal("80.00"),
        Decimal("140.00"),
    )


def test_a_refund_larger_than_what_is_left_is_400(paid, held):
    assert ask(held.guest, held, "200.00").status_code == 201
    response = ask(held.guest, held, "20.01")
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]


def test_the_database_refuses_refunds_beyond_the_payment_even_without_the_service(paid):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=paid.pk).update(refund_committed=paid.amount + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(booking=paid.booking, payment=paid, amount=0, currency="EUR")


@pytest.mark.django_db(transaction=True)
def test_concurrent_refund_requests_never_exceed_what_was_paid(django_capture_on_commit_callbacks):
    place = make_hotel(rooms=1)
    booking = hold(place)
    clerk = staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)
    payment_record_desk(booking=booking, method="cash", recorded_by=clerk)  # 220.00
    workers = 6
    request = lambda: refund_request(  # noqa: E731 (one action, raced six times)
        booking=booking, amount=Decimal("100.00"), reason="race", requested_by=clerk
    )
    outcomes = kinds(race([request] * workers, expected=(ApplicationError,)))
    assert outcomes.count("ok") == 2  # two refunds of 100 fit in 220; the third would not
    assert outcomes.count("validation_error") == workers - 2
    committed = sum(Refund.objects.filter(booking=booking).values_list("amount", flat=True))
    assert committed == Decimal("200.00") <= Payment.objects.get(booking=booking).amount


def test_above_the_threshold_the_requester_cannot_approve_but_another_manager_can(
    paid, held, manager, place, django_capture_on_commit_callbacks
):
    place.hotel.refund_approval_threshold = Decimal("100.00")
    place.hotel.save()
    refund_id = ask(manager, held, "150.00").json()["id"]

    own = decide(manager, refund_id, "approve")
    assert own.status_code == 403
    assert own.json()["error"]["code"] == "four_eyes_required"

    second = staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        approved = decide(second, refund_id, "approve")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["decided_by"]["id"] == second.pk
    refund = Refund.objects.get(pk=refund_id)
    paid.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED  # the worker paid it out on commit
    assert paid.status == Payment.Status.PARTLY_REFUNDED and paid.refunded_amount == Decimal("150.00")


def test_up_to_the_threshold_the_requester_may_approve(paid, held, manager):
    refund_id = ask(manager, held, "50.00").json()["id"]
    assert decide(manager, refund_id, "approve").status_code == 200


def test_slicing_a_large_refund_does_not_dodge_four_eyes(paid, held, manager, place):
    place.hotel.refund_approval_threshold = Decimal("100.00")
    place.hotel.save()
    first = ask(manager, held, "60.00").json()["id"]
    second = ask(manager, held, "60.00").json()["id"]
    assert decide(manager, first, "approve").status_code == 403
    assert decide(manager, second, "approve").status_code == 403


def test_staff_of_another_hotel_cannot_see_or_approve(paid, held, django_capture_on_commit_callbacks):
    refund_id = ask(held.guest, held, "50.00").json()["id"]
    elsewhere = make_hotel(rooms=1)
    outsider = staff(elsewhere, HOTEL_MANAGER, django_capture_on_commit_callbacks)
    assert decide(outsider, refund_id, "approve").status_code == 404
    assert client_for(outsider).get(f"/api/v1/refunds/{refund_id}/").status_code == 404


def test_the_desk_and_the_guest_cannot_decide(paid, held, desk_clerk):
    refund_id = ask(held.guest, held, "50.00").json()["id"]
    assert decide(desk_clerk, refund_id, "approve").status_code == 403
    assert decide(held.guest, refund_id, "approve").status_code == 403


def test_rejecting_gives_the_amount_back_to_what_may_be_refunded(paid, held, accountant, commit):
    refund_id = ask(held.guest, held, "220.00").json()["id"]
    response = commit(lambda: decide(accountant, refund_id, "reject"))
    assert response.json()["status"] == "rejected"
    assert booking_balance(booking=held).refundable == Decimal("220.00")
    assert decide(accountant, refund_id, "approve").status_code == 409


def test_cancelling_after_payment_proposes_the_policy_refund_with_the_same_numbers(paid, held):
    response = client_for(held.guest).post(f"/api/v1/bookings/{held.reference}/cancel/", {}, format="json")
    assert response.status_code == 200, response.json()
    proposed = response.json()["refund"]
    assert proposed["paid"] == "220.00" and proposed["keeps"] == "0.00" and proposed["refund"] == "220.00"
    refund = Refund.objects.get(booking=held)
    assert refund.source == Refund.Source.CANCELLATION and refund.status == Refund.Status.REQUESTED
    assert f"{refund.amount:.2f}" == proposed["refund"]
    assert refund.requested_by_id == held.guest.pk


def test_a_late_cancellation_proposes_paid_less_what_the_policy_keeps(paid, held):
    late = timezone.now() + timedelta(days=30)  # after the free-cancellation deadline
    Booking.objects.filter(pk=held.pk).update(check_in=timezone.now().date() + timedelta(days=1))
    held.refresh_from_db()
    from apps.bookings.policy import cancellation_terms
    from apps.bookings.services import booking_cancel

    terms = cancellation_terms(booking=held, at=late)
    done = booking_cancel(booking=held, now=late)
    refund = Refund.objects.get(booking=held)
    assert done.terms.keeps > 0 and done.terms.refund == terms.refund == refund.amount
    assert refund.amount == Decimal("220.00") - done.terms.keeps


def test_a_provider_failure_is_retried_then_paid(paid, held, accountant, monkeypatch, commit):
    calls = {"n": 0}
    real = SimulatedProvider.refund

    def flaky(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ProviderError("provider timed out")
        return real(self, **kwargs)

    monkeypatch.setattr(SimulatedProvider, "refund", flaky)
    refund_id = ask(held.guest, held, "20.00").json()["id"]
    commit(lambda: decide(accountant, refund_id, "approve"))
    refund = Refund.objects.get(pk=refund_id)
    assert refund.status == Refund.Status.PROCESSING and refund.next_attempt_at is not None
    assert refund_retry_due(now=timezone.now() + timedelta(hours=1)) == 1
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED and refund.attempts == 2


def test_a_refund_that_keeps_failing_is_marked_failed_and_frees_the_amount(paid, held, accountant, monkeypatch):
    def broken(self, **kwargs):
        raise ProviderError("provider down")

    monkeypatch.setattr(SimulatedProvider, "refund", broken)
    refund_id = ask(held.guest, held, "20.00").json()["id"]
    decide(accountant, refund_id, "approve")
    for _ in range(10):
        refund_process(refund_id=refund_id)
    refund = Refund.objects.get(pk=refund_id)
    assert refund.status == Refund.Status.FAILED
    assert booking_balance(booking=held).refundable == Decimal("220.00")


def test_guests_see_only_their_own_refunds(paid, held):
    ask(held.guest, held, "10.00")
    assert len(client_for(held.guest).get("/api/v1/refunds/").json()["results"]) == 1
    assert client_for(UserFactory()).get("/api/v1/refunds/").json()["results"] == []
