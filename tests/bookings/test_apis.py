"""bookings/ as the mobile app and the desk use it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from apps.bookings.models import Booking
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.concurrency import race
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def body(place, first=0, last=2, **extra):
    return {
        "hotel": place.hotel.slug,
        "room_type": place.room_type.pk,
        "check_in": place.day(first).isoformat(),
        "check_out": place.day(last).isoformat(),
        "adults": 2,
        "children": 0,
        **extra,
    }


def desk_of(place, django_capture_on_commit_callbacks):
    clerk = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=clerk, role=FRONT_DESK, scope=place.hotel)
    return clerk


def test_post_bookings_holds_and_answers_the_contract_shape(small_hotel):
    response = client_for(UserFactory()).post("/api/v1/bookings/", body(small_hotel), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert re.fullmatch(r"HBS-[A-Z0-9]{6}", data["reference"])
    assert data["status"] == "held"
    assert data["hold_expires_at"].endswith(("Z", "+00:00"))
    assert [n["date"] for n in data["nights"]] == [small_hotel.day(0).isoformat(), small_hotel.day(1).isoformat()]
    assert re.fullmatch(r"\d+\.\d{2}", data["total"])
    assert data["currency"] == small_hotel.hotel.currency


def test_bad_input_is_400_and_writes_nothing(small_hotel):
    client = client_for(UserFactory())
    backwards = client.post("/api/v1/bookings/", body(small_hotel, 3, 1), format="json")
    assert backwards.status_code == 400
    assert "check_out" in backwards.json()["error"]["fields"]
    unknown_offer = client.post("/api/v1/bookings/", body(small_hotel, offer_code="NOPE"), format="json")
    assert unknown_offer.status_code == 400
    assert unknown_offer.json()["error"]["code"] == "invalid_offer"
    missing_hotel = client.post("/api/v1/bookings/", {**body(small_hotel), "hotel": "no-such-hotel"}, format="json")
    assert missing_hotel.status_code == 404
    assert Booking.objects.count() == 0


def test_sold_out_is_409_room_unavailable(one_room_hotel):
    client_for(UserFactory()).post("/api/v1/bookings/", body(one_room_hotel), format="json")
    response = client_for(UserFactory()).post("/api/v1/bookings/", body(one_room_hotel), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "room_unavailable"


def test_an_offer_code_discounts_and_is_counted(small_hotel):
    offer = OfferFactory(hotel=small_hotel.hotel, code="WELCOME10", usage_limit=5)
    response = client_for(UserFactory()).post(
        "/api/v1/bookings/", body(small_hotel, offer_code="welcome10"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["discount"] == "20.00"
    assert response.json()["offer_code"] == "WELCOME10"
    offer.refresh_from_db()
    assert offer.times_used == 1


def test_idempotency_key_replays_the_same_booking(small_hotel):
    client = client_for(UserFactory())
    first = client.post("/api/v1/bookings/", body(small_hotel), format="json", HTTP_IDEMPOTENCY_KEY="trip-1")
    again = client.post("/api/v1/bookings/", body(small_hotel), format="json", HTTP_IDEMPOTENCY_KEY="trip-1")
    assert first.json()["reference"] == again.json()["reference"]
    other = client.post("/api/v1/bookings/", body(small_hotel, 0, 3), format="json", HTTP_IDEMPOTENCY_KEY="trip-1")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_make_one_booking():
    place = make_hotel(rooms=5)
    user = UserFactory()
    send = lambda: client_for(user).post(  # noqa: E731 (one request, sent six times at once)
        "/api/v1/bookings/", body(place), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    statuses = [response.status_code for response in race([send] * 6)]
    assert Booking.objects.count() == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}


def test_a_guest_cannot_see_or_touch_another_guests_booking(small_hotel):
    owner, stranger = UserFactory(), UserFactory()
    reference = client_for(owner).post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    other = client_for(stranger)
    assert other.get(f"/api/v1/bookings/{reference}/").status_code == 404
    assert other.post(f"/api/v1/bookings/{reference}/cancel/", {}, format="json").status_code == 404
    assert other.get(f"/api/v1/bookings/{reference}/history/").status_code == 404
    assert reference not in [b["reference"] for b in other.get("/api/v1/bookings/").json()["results"]]


def test_desk_of_another_hotel_gets_404_and_own_desk_sees_it(small_hotel, django_capture_on_commit_callbacks):
    elsewhere = make_hotel()
    reference = (
        client_for(UserFactory()).post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    )
    foreign_desk = client_for(desk_of(elsewhere, django_capture_on_commit_callbacks))
    assert foreign_desk.get(f"/api/v1/bookings/{reference}/").status_code == 404
    assert foreign_desk.post(f"/api/v1/bookings/{reference}/check-in/", {}, format="json").status_code == 404
    own_desk = client_for(desk_of(small_hotel, django_capture_on_commit_callbacks))
    assert own_desk.get(f"/api/v1/bookings/{reference}/").status_code == 200
    listed = own_desk.get(f"/api/v1/bookings/?hotel={small_hotel.hotel.slug}&status=held").json()["results"]
    assert [b["reference"] for b in listed] == [reference]


def test_a_guest_on_a_staff_transition_of_their_own_booking_is_403(small_hotel):
    guest = UserFactory()
    client = client_for(guest)
    reference = client.post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    for action in ("check-in", "check-out", "no-show", "assign-room"):
        response = client.post(f"/api/v1/bookings/{reference}/{action}/", {"room": 1}, format="json")
        assert response.status_code == 403, action
        assert response.json()["error"]["code"] == "permission_denied"


def test_illegal_transition_is_409_invalid_state(small_hotel):
    client = client_for(UserFactory())
    reference = client.post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    assert client.post(f"/api/v1/bookings/{reference}/cancel/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/bookings/{reference}/cancel/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_state"


def test_cancel_returns_the_refund_it_proposes_and_terms_are_readable_first(small_hotel):
    client = client_for(UserFactory())
    reference = client.post("/api/v1/bookings/", body(small_hotel, 5, 7), format="json").json()["reference"]
    client.post(f"/api/v1/bookings/{reference}/confirm/", format="json")
    terms = client.get(f"/api/v1/bookings/{reference}/cancellation/").json()
    assert terms["is_free"] is True
    response = client.post(f"/api/v1/bookings/{reference}/cancel/", {"reason": "Flight cancelled"}, format="json")
    assert response.status_code == 200
    assert response.json()["booking"]["status"] == "cancelled"
    assert response.json()["refund"]["keeps"] == "0.00"
    assert response.json()["refund"]["refund"] == terms["refund"]


def test_change_dates_preview_changes_nothing_then_apply(small_hotel):
    client = client_for(UserFactory())
    created = client.post("/api/v1/bookings/", body(small_hotel), format="json").json()
    reference = created["reference"]
    new_dates = {"check_in": small_hotel.day(0).isoformat(), "check_out": small_hotel.day(3).isoformat()}
    preview = client.post(f"/api/v1/bookings/{reference}/change-dates/", {**new_dates, "preview": True}, format="json")
    assert preview.status_code == 200
    assert preview.json()["changed"] is False
    assert len(preview.json()["nights"]) == 3
    assert client.get(f"/api/v1/bookings/{reference}/").json()["check_out"] == small_hotel.day(2).isoformat()
    applied = client.post(f"/api/v1/bookings/{reference}/change-dates/", new_dates, format="json")
    assert applied.json()["booking"]["total"] == preview.json()["new_total"]
    assert applied.json()["booking"]["check_out"] == small_hotel.day(3).isoformat()


def test_desk_checks_in_and_out_and_history_lists_every_step(
    small_hotel, django_capture_on_commit_callbacks, monkeypatch
):
    guest = client_for(UserFactory())
    reference = guest.post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    guest.post(f"/api/v1/bookings/{reference}/confirm/", format="json")
    desk = client_for(desk_of(small_hotel, django_capture_on_commit_callbacks))
    arrival_noon = datetime.combine(small_hotel.day(0), datetime.min.time(), tzinfo=small_hotel.hotel.zone)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: arrival_noon + timedelta(hours=12))
    checked_in = desk.post(f"/api/v1/bookings/{reference}/check-in/", {}, format="json")
    assert checked_in.status_code == 200, checked_in.json()
    assert checked_in.json()["status"] == "checked_in"
    refused = desk.post(f"/api/v1/bookings/{reference}/check-out/", format="json")
    assert refused.status_code == 400 and "is still due" in refused.json()["error"]["fields"]["leave_open_reason"][0]
    assert guest.get(f"/api/v1/bookings/{reference}/").json()["status"] == "checked_in"
    reason = {"leave_open_reason": "Invoiced to the company"}
    checked_out = desk.post(f"/api/v1/bookings/{reference}/check-out/", reason, format="json")
    assert checked_out.json()["status"] == "checked_out"
    history = guest.get(f"/api/v1/bookings/{reference}/history/").json()
    assert [(line["event"], line["from_status"], line["to_status"]) for line in history] == [
        ("created", None, "held"),
        ("confirmed", "held", "confirmed"),
        ("checked_in", "confirmed", "checked_in"),
        ("checked_out", "checked_in", "checked_out"),
    ]
    assert all(line["shipped"] is False for line in history)  # still in the outbox: no relay ran
