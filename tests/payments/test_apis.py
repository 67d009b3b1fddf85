"""payments/ as the mobile app and the desk use it: who may pay how, idempotency, scoping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.bookings.models import Booking
from apps.payments.models import Payment
from apps.payments.selectors import booking_balance
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.factories import UserFactory
from tests.payments.conftest import hold

pytestmark = pytest.mark.django_db


def pay(user, booking, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(f"/api/v1/bookings/{booking.reference}/payments/", body, format="json", **headers)


def test_creating_an_online_payment_is_idempotent(held):
    first = pay(held.guest, held, {"method": "online"}, key="pay-once")
    again = pay(held.guest, held, {"method": "online"}, key="pay-once")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.filter(booking=held).count() == 1
    other_body = pay(held.guest, held, {"method": "online", "amount": "10.00"}, key="pay-once")
    assert other_body.status_code == 409
    assert other_body.json()["error"]["code"] == "idempotency_mismatch"


def test_pressing_pay_twice_without_a_key_reuses_the_open_checkout(held):
    first = pay(held.guest, held, {"method": "online"}).json()
    second = pay(held.guest, held, {"method": "online"}).json()
    assert first["id"] == second["id"] and first["redirect_url"] == second["redirect_url"]


def test_desk_payment_is_taken_at_once_and_confirms_the_hold(held, desk_clerk, commit):
    response = commit(lambda: pay(desk_clerk, held, {"method": "cash"}))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "succeeded" and data["redirect_url"] is None and data["provider"] == "desk"
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    assert booking_balance(booking=held).due == Decimal("0.00")
    nothing_due = pay(desk_clerk, held, {"method": "card_terminal"})
    assert nothing_due.status_code == 409 and nothing_due.json()["error"]["code"] == "invalid_state"


def test_a_part_payment_at_the_desk_leaves_the_rest_due(held, desk_clerk):
    response = pay(desk_clerk, held, {"method": "card_terminal", "amount": "50.00"})
    assert response.status_code == 201
    assert booking_balance(booking=held).due == held.total - Decimal("50.00")
    too_much = pay(desk_clerk, held, {"method": "cash", "amount": "9999.00"})
    assert too_much.status_code == 400 and "amount" in too_much.json()["error"]["fields"]


def test_a_guest_pays_online_only(held):
    response = pay(held.guest, held, {"method": "cash"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_nobody_else_sees_or_pays_a_booking(held, pending):
    stranger = UserFactory()
    assert pay(stranger, held, {"method": "online"}).status_code == 404
    assert client_for(stranger).get(f"/api/v1/payments/{pending.pk}/").status_code == 404
    assert client_for(stranger).get("/api/v1/payments/").json()["results"] == []


def test_staff_see_their_hotels_payments_only(held, pending, desk_clerk):
    elsewhere = make_hotel(rooms=1)
    other = hold(elsewhere)
    pay(other.guest, other, {"method": "online"})
    listed = client_for(desk_clerk).get("/api/v1/payments/").json()["results"]
    assert [row["id"] for row in listed] == [pending.pk]
    assert client_for(held.guest).get(f"/api/v1/payments/{pending.pk}/").json()["booking"] == held.reference


def test_payment_list_is_one_query_per_page(held, pending, desk_clerk, django_assert_max_num_queries):
    client = client_for(desk_clerk)
    client.get("/api/v1/payments/")  # warm the permission cache
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/payments/").status_code == 200
