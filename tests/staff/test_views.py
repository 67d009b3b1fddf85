"""The back office as the desk, the housekeeper and the manager use it: what each sees and does, scoped."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER, HOUSEKEEPING
from apps.accounts.services import object_role_grant, roles_in_scope
from apps.bookings import services
from apps.bookings.models import Booking, RoomBlock
from apps.hotels.models import RateOverride, Room
from apps.hotels.stays import hotel_today
from apps.offers.models import Offer
from apps.payments.models import Payment
from apps.reviews.models import Review
from tests.bookings.conftest import make_hotel
from tests.factories import (
    TEST_PASSWORD,
    OfferFactory,
    RateOverrideFactory,
    ReviewFactory,
    RoomFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Booking.Status


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=TEST_PASSWORD)
    return client


def staff(place, role: str, **fields):
    user = UserFactory(**fields)
    object_role_grant(user=user, role=role, scope=place.hotel)
    return user


def arriving_today(place, *, nights: int = 2, requests: str = "", guest=None) -> Booking:
    """A confirmed stay arriving on the hotel's today (booked as if a week ago)."""
    today = hotel_today(place.hotel)
    week_ago = timezone.now() - timedelta(days=7)
    booking = services.booking_create(
        guest=guest or UserFactory(first_name="Ana", last_name="Silva"),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=today,
        check_out=today + timedelta(days=nights),
        adults=2,
        special_requests=requests,
        now=week_ago,
    )
    return services.booking_confirm(booking=booking, now=week_ago)


def checked_in_leaving_today(place, guest=None) -> Booking:
    today = hotel_today(place.hotel)
    booking = services.booking_create(
        guest=guest or UserFactory(first_name="Bo", last_name="Lind"),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=today - timedelta(days=2),
        check_out=today,
        adults=1,
        now=timezone.now() - timedelta(days=9),
    )
    booking = services.booking_confirm(booking=booking, now=timezone.now() - timedelta(days=9))
    arrival_noon = datetime.combine(booking.check_in, time(14), tzinfo=place.hotel.zone)
    return services.booking_check_in(booking=booking, now=arrival_noon)


@pytest.fixture
def place(db):
    return make_hotel(rooms=4)


# --- Dashboard ------------------------------------------------------------------------------------------


def test_dashboard_counts_the_hotels_day_in_its_own_today_and_each_count_opens_its_list(place):
    arriving_today(place)
    checked_in_leaving_today(place)
    page = logged_in(staff(place, HOTEL_MANAGER)).get("/staff/")
    assert page.status_code == 200
    counts = {item.key: item for item in page.context["counts"]}
    assert (counts["arrivals"].count, counts["departures"].count, counts["in_house"].count) == (1, 1, 1)
    assert counts["free_tonight"].count == 3  # four rooms: one guest arrives tonight; the one leaving today frees his
    assert counts["occupancy_tonight"].count == "25.0 %"
    assert counts["refunds_waiting"].count == 0
    assert counts["arrivals"].url == f"/staff/hotels/{place.hotel.slug}/arrivals/"
    html = page.content.decode()
    assert f'href="/staff/hotels/{place.hotel.slug}/arrivals/"' in html


def test_dashboard_counts_open_and_overdue_tickets_and_unanswered_reviews_each_opening_its_list(place):
    TicketFactory(hotel=place.hotel)
    TicketFactory(hotel=place.hotel, due_at=timezone.now() - timedelta(hours=2))
    TicketFactory(hotel=place.hotel, status="resolved", resolved_at=timezone.now(), due_at=None)
    TicketFactory()  # another hotel's
    answered = ReviewFactory(booking__room=place.rooms[0])
    Review.objects.filter(pk=answered.pk).update(response_text="Thank you!", responded_at=timezone.now())
    ReviewFactory(booking__room=place.rooms[1])
    ReviewFactory(booking__room=place.rooms[2], status="hidden", hidden_reason="Abusive", hidden_at=timezone.now())

    counts = {item.key: item for item in logged_in(staff(place, HOTEL_MANAGER)).get("/staff/").context["counts"]}
    desk_counts = {item.key for item in logged_in(staff(place, FRONT_DESK)).get("/staff/").context["counts"]}

    assert (counts["tickets_open"].count, counts["tickets_overdue"].count) == (2, 1)
    assert counts["tickets_overdue"].url == f"/staff/tickets/?hotel={place.hotel.slug}&overdue=true"
    assert counts["reviews_unanswered"].count == 1
    assert counts["reviews_unanswered"].url == f"/staff/reviews/?hotel={place.hotel.slug}&unanswered=on"
    assert "tickets_open" in desk_counts and "reviews_unanswered" not in desk_counts  # the desk answers no review


def test_dashboard_switches_between_the_users_hotels_and_remembers_the_last(place):
    other = make_hotel(rooms=1, name="Second House")
    third = make_hotel(rooms=1, name="Not Mine")
    desk = staff(place, FRONT_DESK)
    object_role_grant(user=desk, role=FRONT_DESK, scope=other.hotel)
    client = logged_in(desk)
    assert client.get("/staff/", {"hotel": other.hotel.slug}).context["hotel"] == other.hotel
    assert client.get("/staff/").context["hotel"] == other.hotel  # remembered
    assert client.get("/staff/", {"hotel": third.hotel.slug}).status_code == 404
    html = client.get("/staff/").content.decode()
    assert "Second House" in html and "Not Mine" not in html


def test_the_housekeeper_sees_the_rooms_to_clean_and_no_bookings(place):
    Room.objects.filter(pk=place.rooms[0].pk).update(housekeeping="dirty")  # set-up only
    page = logged_in(staff(place, HOUSEKEEPING)).get("/staff/")
    keys = [item.key for item in page.context["counts"]]
    assert keys == ["dirty_rooms"] and page.context["counts"][0].count == 1
    assert logged_in(staff(place, HOUSEKEEPING)).get(f"/staff/hotels/{place.hotel.slug}/arrivals/").status_code == 403


def test_dashboard_and_lists_make_a_fixed_number_of_queries(place, django_assert_max_num_queries):
    client = logged_in(staff(place, HOTEL_MANAGER))
    for _ in range(3):
        arriving_today(make_hotel_room(place))
    client.get("/staff/")  # warm the permission cache
    with django_assert_max_num_queries(16):
        client.get("/staff/")
    for _ in range(3):
        arriving_today(make_hotel_room(place))
    with django_assert_max_num_queries(16):
        assert client.get("/staff/").status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get(f"/staff/hotels/{place.hotel.slug}/arrivals/")
    assert len(page.context["rows"]) == 6


def make_hotel_room(place):
    """One more room of the type, so one more guest can arrive today."""
    RoomFactory(room_type=place.room_type, hotel=place.hotel)
    return place


# --- Arrivals and check-in ------------------------------------------------------------------------------


def test_arrivals_show_what_the_desk_needs_and_check_in_takes_the_balance_in_the_same_step(place):
    booking = arriving_today(place, requests="Late arrival, around 23:00")
    desk = staff(place, FRONT_DESK)
    client = logged_in(desk)
    page = client.get(f"/staff/hotels/{place.hotel.slug}/arrivals/").content.decode()
    for shown in ("Ana Silva", booking.reference, "Double", booking.room.number, "€220.00", "Late arrival"):
        assert shown in page
    form = client.get(f"/staff/bookings/{booking.reference}/check-in/")
    assert form.context["suggested"].pk == booking.room_id  # its own room, clean
    response = client.post(
        f"/staff/bookings/{booking.reference}/check-in/", {"room": booking.room_id, "method": "cash", "amount": ""}
    )
    assert response.status_code == 302 and response.url == f"/staff/hotels/{place.hotel.slug}/arrivals/"
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_IN
    payment = Payment.objects.get(booking=booking)
    assert (payment.amount, payment.method, payment.created_by) == (Decimal("220.00"), "cash", desk)
    assert booking.reference not in client.get(f"/staff/hotels/{place.hotel.slug}/arrivals/").content.decode()


def test_check_in_suggests_a_clean_room_when_the_assigned_one_is_dirty_and_may_change_it(place):
    booking = arriving_today(place)
    Room.objects.filter(pk=booking.room_id).update(housekeeping="dirty")  # set-up only
    client = logged_in(staff(place, FRONT_DESK))
    suggested = client.get(f"/staff/bookings/{booking.reference}/check-in/").context["suggested"]
    assert suggested.pk != booking.room_id and suggested.housekeeping == "clean"
    client.post(f"/staff/bookings/{booking.reference}/check-in/", {"room": suggested.pk, "method": ""})
    booking.refresh_from_db()
    assert (booking.status, booking.room_id) == (Status.CHECKED_IN, suggested.pk)
    assert not Payment.objects.filter(booking=booking).exists()


def test_a_failed_payment_leaves_the_guest_not_checked_in(place):
    booking = arriving_today(place)
    client = logged_in(staff(place, FRONT_DESK))
    response = client.post(
        f"/staff/bookings/{booking.reference}/check-in/", {"room": booking.room_id, "method": "cash", "amount": "999"}
    )
    assert response.status_code == 400 and "At most €220.00 is due" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_no_show_from_a_past_nights_arrivals(place):
    today = hotel_today(place.hotel)
    booking = services.booking_create(
        guest=UserFactory(), hotel=place.hotel, room_type=place.room_type,
        check_in=today - timedelta(days=1), check_out=today + timedelta(days=1), adults=1,
        now=timezone.now() - timedelta(days=5),
    )  # fmt: skip
    services.booking_confirm(booking=booking, now=timezone.now() - timedelta(days=5))
    client = logged_in(staff(place, FRONT_DESK))
    yesterday = (today - timedelta(days=1)).isoformat()
    page = client.get(f"/staff/hotels/{place.hotel.slug}/arrivals/", {"date": yesterday}).content.decode()
    assert booking.reference in page and "No-show" in page
    response = client.post(f"/staff/bookings/{booking.reference}/no-show/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.NO_SHOW


# --- Departures and check-out ---------------------------------------------------------------------------


def test_check_out_needs_the_balance_settled_or_a_reason_and_leaves_the_room_dirty(place):
    booking = checked_in_leaving_today(place)
    client = logged_in(staff(place, FRONT_DESK))
    assert booking.reference in client.get(f"/staff/hotels/{place.hotel.slug}/departures/").content.decode()
    refused = client.post(f"/staff/bookings/{booking.reference}/check-out/", {"method": ""})
    assert refused.status_code == 400 and "is still due" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_IN
    done = client.post(
        f"/staff/bookings/{booking.reference}/check-out/", {"method": "", "leave_open_reason": "Company pays"}
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_OUT
    assert Room.objects.get(pk=booking.room_id).housekeeping == "dirty"


def test_check_out_with_the_payment_taken_at_the_desk(place):
    booking = checked_in_leaving_today(place)
    client = logged_in(staff(place, FRONT_DESK))
    client.post(f"/staff/bookings/{booking.reference}/check-out/", {"method": "card_terminal"})
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_OUT
    assert Payment.objects.get(booking=booking).method == "card_terminal"


# --- Find -----------------------------------------------------------------------------------------------


def test_find_a_booking_by_name_email_reference_status_and_date_at_this_hotel_only(place):
    mine = arriving_today(place, guest=UserFactory(first_name="Maria", last_name="Costa", email="maria@example.com"))
    other = make_hotel(rooms=1)
    theirs = arriving_today(other, guest=UserFactory(first_name="Maria", last_name="Other"))
    client = logged_in(staff(place, FRONT_DESK))
    url = f"/staff/hotels/{place.hotel.slug}/find/"
    for query in ({"q": "maria"}, {"q": "MARIA@example.com"}, {"q": mine.reference.lower()}, {"status": "confirmed"}):
        found = client.get(url, query).context["bookings"]
        assert [b.reference for b in found] == [mine.reference], query
    assert client.get(url, {"staying_on": mine.check_in.isoformat()}).context["bookings"] == [mine]
    assert client.get(url, {"q": theirs.reference}).context["bookings"] == []
    assert client.get(f"/staff/hotels/{other.hotel.slug}/find/").status_code == 404


# --- The room board -------------------------------------------------------------------------------------


def test_the_board_shows_stays_as_bars_and_blocks_apart(place):
    booking = arriving_today(place, nights=3)
    free = next(room for room in place.rooms if room.pk != booking.room_id)
    today = hotel_today(place.hotel)
    services.room_block_create(
        room=free, start=today + timedelta(days=2), end=today + timedelta(days=4), reason="Paint"
    )
    page = logged_in(staff(place, FRONT_DESK)).get(f"/staff/hotels/{place.hotel.slug}/board/")
    html = page.content.decode()
    assert 'colspan="3" class="bar bar-confirmed' in html and "Ana Silva" in html
    assert 'colspan="2" class="bar bar-block"' in html and "Paint" in html
    board = page.context["board"]
    assert len(board.nights) == 14 and board.first == today
    rows = {row.room.pk: row for group in board.groups for row in group.rows}
    assert sum(cell.span for cell in rows[booking.room_id].cells) == 14


def test_the_board_makes_the_same_queries_for_more_rooms_nights_and_stays(place, django_assert_num_queries):
    client = logged_in(staff(place, FRONT_DESK))
    url = f"/staff/hotels/{place.hotel.slug}/board/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(20):
        RoomFactory(room_type=place.room_type, hotel=place.hotel)
    for _ in range(5):
        arriving_today(place, nights=5)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url, {"start": (hotel_today(place.hotel) - timedelta(days=3)).isoformat()})
    assert sum(len(group.rows) for group in page.context["board"].groups) == 24


def test_a_stay_moves_by_the_form_and_by_drag_and_drop_and_an_overlap_is_refused(place):
    booking = arriving_today(place, nights=2)
    taken = arriving_today(place, nights=2)
    free = next(room for room in place.rooms if room.pk not in (booking.room_id, taken.room_id))
    client = logged_in(staff(place, FRONT_DESK))
    moved = client.post(f"/staff/bookings/{booking.reference}/move/", {"room": free.pk})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.room_id == free.pk
    dropped = client.post(
        f"/staff/bookings/{booking.reference}/move/", {"room": taken.room_id}, HTTP_ACCEPT="application/json"
    )
    assert dropped.status_code == 409
    assert "taken on some of these nights" in json.loads(dropped.content)["error"]["message"]
    back = next(room for room in place.rooms if room.pk not in (free.pk, taken.room_id))
    dropped = client.post(
        f"/staff/bookings/{booking.reference}/move/", {"room": back.pk}, HTTP_ACCEPT="application/json"
    )
    assert dropped.status_code == 200 and json.loads(dropped.content)["room"] == back.number


def test_blocks_are_set_and_removed_on_the_board_and_a_block_over_a_stay_names_it(place):
    booking = arriving_today(place, nights=2)
    today = hotel_today(place.hotel)
    client = logged_in(staff(place, FRONT_DESK))
    url = f"/staff/hotels/{place.hotel.slug}/blocks/"
    refused = client.post(
        url, {"room": booking.room_id, "start": today, "end": today + timedelta(days=1), "reason": "Leak"}
    )
    assert refused.status_code == 409 and booking.reference in refused.content.decode()
    free = next(room for room in place.rooms if room.pk != booking.room_id)
    done = client.post(url, {"room": free.pk, "start": today, "end": today + timedelta(days=1), "reason": "Leak"})
    assert done.status_code == 302
    block = RoomBlock.objects.get()
    assert client.post(f"/staff/blocks/{block.pk}/delete/").status_code == 302
    assert not RoomBlock.objects.exists()


# --- Housekeeping ---------------------------------------------------------------------------------------


def test_the_housekeeper_sets_a_room_in_one_tap_by_floor_and_only_at_their_hotel(place):
    room = place.rooms[0]
    upstairs = RoomFactory(room_type=place.room_type, hotel=place.hotel, floor=2, number="201")
    housekeeper = staff(place, HOUSEKEEPING)
    client = logged_in(housekeeper)
    page = client.get(f"/staff/hotels/{place.hotel.slug}/housekeeping/", {"floor": 2})
    assert [item.room for item in page.context["rooms"]] == [upstairs]
    tapped = client.post(f"/staff/rooms/{room.pk}/housekeeping/", {"housekeeping": "dirty"}, HTTP_HX_REQUEST="true")
    assert tapped.status_code == 200 and "Dirty" in tapped.content.decode()
    assert Room.objects.get(pk=room.pk).housekeeping == "dirty"
    elsewhere = make_hotel(rooms=1)
    assert (
        client.post(f"/staff/rooms/{elsewhere.rooms[0].pk}/housekeeping/", {"housekeeping": "dirty"}).status_code == 404
    )


# --- Grants, rates, offers ------------------------------------------------------------------------------


def test_a_manager_grants_and_revokes_roles_at_their_hotel_and_the_desk_may_not(place):
    manager = staff(place, HOTEL_MANAGER)
    clerk = UserFactory(email="clerk@example.com")
    client = logged_in(manager)
    url = f"/staff/hotels/{place.hotel.slug}/staff/"
    assert client.post(url, {"email": "clerk@example.com", "role": "front_desk"}).status_code == 302
    assert roles_in_scope(scope=place.hotel)[clerk.pk] == ["front_desk"]
    assert "clerk@example.com" in client.get(url).content.decode()
    unknown = client.post(url, {"email": "nobody@example.com", "role": "front_desk"})
    assert unknown.status_code == 404 and "no user" in unknown.content.decode()
    client.post(url + "revoke/", {"user": clerk.pk, "role": "front_desk"})
    assert clerk.pk not in roles_in_scope(scope=place.hotel)
    assert logged_in(staff(place, FRONT_DESK)).get(url).status_code == 403


def test_rates_and_offers_can_be_edited_not_only_removed(place):
    manager = staff(place, HOTEL_MANAGER)
    rate = RateOverrideFactory(room_type=place.room_type, price=Decimal("150.00"))
    offer = OfferFactory(hotel=place.hotel, code="SPRING", value=Decimal("10.00"))
    client = logged_in(manager)
    edit = client.get(f"/staff/rates/{rate.pk}/")
    assert edit.status_code == 200 and "150.00" in edit.content.decode()
    saved = client.post(
        f"/staff/rates/{rate.pk}/",
        {
            "room_type": place.room_type.pk, "name": "Spring", "starts_on": rate.starts_on, "ends_on": rate.ends_on,
            "price": "135.00", "min_nights": 1,
        },
    )  # fmt: skip
    assert saved.status_code == 302
    assert RateOverride.objects.get(pk=rate.pk).price == Decimal("135.00")
    saved = client.post(
        f"/staff/offers/{offer.pk}/",
        {
            "name": "Spring deal",
            "code": "SPRING",
            "kind": "percent",
            "value": "15.00",
            "min_nights": 1,
            "is_active": "on",
        },
    )
    assert saved.status_code == 302, saved.content.decode()
    assert Offer.objects.get(pk=offer.pk).value == Decimal("15.00")


def test_the_booking_page_offers_the_desk_its_actions_and_clerk_wording(place):
    booking = arriving_today(place)
    client = logged_in(staff(place, FRONT_DESK))
    html = client.get(f"/bookings/{booking.reference}/").content.decode()
    assert f'href="/staff/bookings/{booking.reference}/check-in/"' in html
    held = services.booking_create(
        guest=UserFactory(), hotel=place.hotel, room_type=place.room_type,
        check_in=hotel_today(place.hotel) + timedelta(days=3), check_out=hotel_today(place.hotel) + timedelta(days=4),
        adults=1,
    )  # fmt: skip
    html = client.get(f"/bookings/{held.reference}/").content.decode()
    assert "held for the guest until" in html and "We hold this room for you" not in html
    html = client.get(f"/bookings/{held.reference}/change-dates/").content.decode()
    assert "For " in html and "The new price is quoted" in html


def test_the_api_lets_housekeeping_set_the_state_of_their_hotels_rooms_only(place):
    from rest_framework.test import APIClient

    from apps.accounts.tokens import tokens_for

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(staff(place, HOUSEKEEPING))['access']}")
    room = place.rooms[0]
    answer = client.patch(f"/api/v1/rooms/{room.pk}/", {"housekeeping": "inspected"}, format="json")
    assert answer.status_code == 200 and answer.json()["housekeeping"] == "inspected"
    assert client.patch(f"/api/v1/rooms/{room.pk}/", {"in_service": False}, format="json").status_code == 403
    elsewhere = make_hotel(rooms=1).rooms[0]
    assert client.patch(f"/api/v1/rooms/{elsewhere.pk}/", {"housekeeping": "dirty"}, format="json").status_code == 404
    assert client.get(f"/api/v1/rooms/{room.pk}/blocks/").status_code == 403


def test_the_block_form_opens_from_the_board(place):
    client = logged_in(staff(place, FRONT_DESK))
    board = client.get(f"/staff/hotels/{place.hotel.slug}/board/").content.decode()
    assert f'href="/staff/hotels/{place.hotel.slug}/blocks/"' in board
    form = client.get(f"/staff/hotels/{place.hotel.slug}/blocks/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    assert "<html" not in form.content.decode()  # the partial only, swapped in below the board


def test_live_pages_follow_their_hotels_staff_events(place):
    client = logged_in(staff(place, FRONT_DESK))
    for page in ("board", "arrivals", "departures", "in-house"):
        html = client.get(f"/staff/hotels/{place.hotel.slug}/{page}/").content.decode()
        assert f'data-hotel="{place.hotel.pk}"' in html and "data-live-url=" in html, page
        assert 'hx-trigger="every' not in html, page  # no blind polling while the socket is up
        assert "js/live.js" in html
