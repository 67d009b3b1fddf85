"""The guest booking pages as a guest's browser receives them, with and without htmx."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils.formats import date_format

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from apps.bookings import services
from apps.bookings.models import Booking
from apps.bookings.selectors import availability_search
from tests.bookings.conftest import SmallHotel, make_hotel
from tests.factories import TEST_PASSWORD, OfferFactory, RateOverrideFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Booking.Status
HTMX = {"HTTP_HX_REQUEST": "true"}
STRONG = "quiet-room-on-the-top-floor"
User = get_user_model()


def stay_of(place: SmallHotel, first: int = 0, last: int = 2, **extra: object) -> dict[str, str]:
    return {
        "hotel": place.hotel.slug,
        "room_type": str(place.room_type.pk),
        "check_in": place.day(first).isoformat(),
        "check_out": place.day(last).isoformat(),
        "adults": "2",
        "children": "0",
        **{key: str(value) for key, value in extra.items()},
    }


def book_url(place: SmallHotel, first: int = 0, last: int = 2, **extra: object) -> str:
    return "/book/?" + urlencode(stay_of(place, first, last, **extra))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def held(place: SmallHotel, guest, first: int = 0, last: int = 2) -> Booking:
    return services.booking_create(
        guest=guest,
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(first),
        check_out=place.day(last),
        adults=2,
    )


def details(**extra: str) -> dict[str, str]:
    return {"first_name": "Ana", "last_name": "Silva", "phone": "+351 912 000 000", **extra}


# --- /book/ ----------------------------------------------------------------------------------------------


def test_book_page_shows_the_nightly_prices_availability_showed(small_hotel):
    RateOverrideFactory(
        room_type=small_hotel.room_type, starts_on=small_hotel.day(1), ends_on=small_hotel.day(1), price="180.00"
    )
    [shown] = availability_search(
        hotel=small_hotel.hotel, check_in=small_hotel.day(0), check_out=small_hotel.day(3), adults=2
    )
    response = Client().get(book_url(small_hotel, 0, 3))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Book your stay" in html
    for line in shown.quote.nights:
        assert date_format(line.date, "D j N Y") in html  # "Tue 1 Dec. 2026"
    assert "180.00" in html and "100.00" in html
    assert f"{shown.quote.taxes:,.2f}" in html
    assert f"€{shown.quote.total:,.2f}" in html  # the money filter: Babel, in the page's language
    assert "Hold this room" in html


def test_book_page_for_htmx_is_the_booking_partial_only(small_hotel):
    response = Client().get(book_url(small_hotel), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="booking"')
    assert "<html" not in html


def test_signed_in_guest_finds_name_and_phone_filled_in_and_no_account_fields(small_hotel):
    guest = UserFactory(first_name="Marta", last_name="Costa", phone="+351 913 111 222")
    html = signed_in(guest).get(book_url(small_hotel)).content.decode()
    assert 'value="Marta"' in html and 'value="Costa"' in html and 'value="+351 913 111 222"' in html
    assert 'name="password"' not in html


def test_visitor_is_offered_sign_up_or_log_in_on_the_form(small_hotel):
    html = Client().get(book_url(small_hotel)).content.decode()
    assert "create my account" in html and "I have an account" in html
    assert 'name="email"' in html and 'name="password"' in html


def test_signed_in_guest_books_and_lands_on_the_held_booking(small_hotel, commit):
    guest = UserFactory(first_name="Marta", last_name="Costa")
    client = signed_in(guest)
    payload = {**stay_of(small_hotel), **details(first_name="Marta", last_name="Costa")}
    response = commit(lambda: client.post("/book/", {**payload, "special_requests": "A quiet room, please."}))
    booking = Booking.objects.get(guest=guest)
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{booking.reference}/"
    assert booking.status == Status.HELD and booking.special_requests == "A quiet room, please."
    guest.refresh_from_db()
    assert guest.phone == "+351 912 000 000"  # the details given on the form update the profile
    assert mail.outbox[-1].subject == f"Your room is on hold: {booking.reference}"


def test_htmx_booking_redirects_the_whole_page(small_hotel):
    client = signed_in(UserFactory())
    response = client.post("/book/", {**stay_of(small_hotel), **details()}, **HTMX)
    booking = Booking.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/bookings/{booking.reference}/"


def test_visitor_signs_up_inline_and_the_stay_is_booked(small_hotel, commit):
    client = Client()
    payload = {**stay_of(small_hotel), **details(), "account": "new", "email": "new.guest@example.com"}
    response = commit(lambda: client.post("/book/", {**payload, "password": STRONG}))
    guest = User.objects.get(email="new.guest@example.com")
    booking = Booking.objects.get(guest=guest)
    assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.reference}/"
    assert (guest.first_name, guest.last_name, guest.phone) == ("Ana", "Silva", "+351 912 000 000")
    assert list(guest.groups.values_list("name", flat=True)) == ["guest"]
    page = client.get(response["Location"]).content.decode()  # logged in straight away
    assert booking.reference in page and "We sent a link to confirm new.guest@example.com" in page
    assert {message.subject for message in mail.outbox} >= {f"Your room is on hold: {booking.reference}"}
    assert any("new.guest@example.com" in message.to for message in mail.outbox if "hold" not in message.subject)


def test_visitor_logs_in_inline_and_keeps_their_account_name(small_hotel):
    guest = UserFactory(email="back.again@example.com", first_name="Rui", last_name="Alves")
    client = Client()
    payload = {**stay_of(small_hotel), "account": "existing", "email": "BACK.again@example.com"}
    response = client.post("/book/", {**payload, "password": TEST_PASSWORD, "first_name": "", "last_name": ""})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.guest == guest
    guest.refresh_from_db()
    assert (guest.first_name, guest.last_name) == ("Rui", "Alves")
    assert client.get("/bookings/").status_code == 200  # the session is the guest's


@pytest.mark.parametrize("switch", ["existing", "new"])
def test_wrong_password_for_an_existing_account_says_it_exists_and_offers_log_in_and_reset(small_hotel, switch):
    UserFactory(email="back.again@example.com")
    payload = {**stay_of(small_hotel), **details(), "account": switch, "email": "back.again@example.com"}
    response = Client().post("/book/", {**payload, "password": "nope-not-it-1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith("<form") and "An account already uses this email" in html
    assert 'href="/accounts/login/?next=' in html and 'href="/accounts/password/reset/"' in html
    assert not Booking.objects.exists() and User.objects.count() == 1


def test_returning_guest_who_types_their_password_into_the_new_account_form_is_logged_in_and_holds(small_hotel):
    """The default switch says "create my account"; the right password for an existing email opens it instead."""
    guest = UserFactory(email="back.again@example.com", first_name="Rui", last_name="Alves")
    client = Client()
    payload = {**stay_of(small_hotel), **details(), "account": "new", "email": "back.again@example.com"}
    response = client.post("/book/", {**payload, "password": TEST_PASSWORD})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.guest == guest and User.objects.count() == 1
    assert client.get("/bookings/").status_code == 200  # the session is the guest's
    assert "We sent a link to confirm" not in client.get(response["Location"]).content.decode()


def test_log_in_switch_with_an_unknown_email_says_only_that_the_credentials_are_wrong(small_hotel):
    payload = {**stay_of(small_hotel), **details(), "account": "existing", "email": "nobody@example.com"}
    response = Client().post("/book/", {**payload, "password": "whatever-1"}, **HTMX)
    assert response.status_code == 400
    assert "Email or password is incorrect." in response.content.decode()
    assert not User.objects.filter(email="nobody@example.com").exists() and not Booking.objects.exists()


def test_sign_up_that_cannot_book_leaves_no_account_behind(one_room_hotel):
    held(one_room_hotel, UserFactory())
    payload = {**stay_of(one_room_hotel), **details(), "account": "new", "email": "late@example.com"}
    response = Client().post("/book/", {**payload, "password": STRONG}, **HTMX)
    assert response.status_code == 409
    assert "sold out for these dates" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()
    assert Booking.objects.count() == 1


def test_weak_password_on_inline_sign_up_is_400_under_the_field(small_hotel):
    payload = {**stay_of(small_hotel), **details(), "account": "new", "email": "weak@example.com"}
    response = Client().post("/book/", {**payload, "password": "password"})
    assert response.status_code == 400
    assert b"This password is too common." in response.content
    assert not User.objects.filter(email="weak@example.com").exists() and not Booking.objects.exists()


def test_a_new_account_needs_the_guests_name(small_hotel):
    payload = {**stay_of(small_hotel), "account": "new", "email": "noname@example.com", "password": STRONG}
    response = Client().post("/book/", payload)
    assert response.status_code == 400
    assert b"The hotel needs the guest&#x27;s name." in response.content
    assert not User.objects.filter(email="noname@example.com").exists()


def test_sold_out_is_409_with_the_message_beside_the_form(one_room_hotel):
    held(one_room_hotel, UserFactory())
    client = signed_in(UserFactory())
    response = client.post("/book/", {**stay_of(one_room_hotel), **details()})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Double is sold out for these dates." in html and "<html" in html  # the whole page without htmx
    assert Booking.objects.count() == 1


def test_a_sold_out_stay_says_so_instead_of_offering_the_form(one_room_hotel):
    held(one_room_hotel, UserFactory())
    html = Client().get(book_url(one_room_hotel)).content.decode()
    assert "is sold out for these dates" in html
    assert "Hold this room" not in html


def test_an_offer_code_applies_on_the_page_and_to_the_booking(small_hotel):
    OfferFactory(hotel=small_hotel.hotel, code="SPRING", kind="percent", value=Decimal("10.00"))
    html = Client().get(book_url(small_hotel, offer_code="spring")).content.decode()
    assert "Code SPRING applied" in html
    assert "\u2212 20.00" in html  # 10 % of two nights at 100.00, shown with a minus sign
    client = signed_in(UserFactory())
    client.post("/book/", {**stay_of(small_hotel, offer_code="spring"), **details()})
    booking = Booking.objects.get()
    assert booking.discount == Decimal("20.00") and booking.offer.code == "SPRING"


def test_an_unknown_offer_code_is_shown_and_the_price_is_without_it(small_hotel):
    response = Client().get(book_url(small_hotel, offer_code="NOPE"))
    html = response.content.decode()
    assert "This offer code is not known." in html
    assert "Hold this room" in html  # still bookable at the price shown
    booking_form = html.split('class="booking-form"')[1].split("</form>")[0]
    assert 'name="offer_code"' in booking_form and "NOPE" not in booking_form  # books at the price shown


def test_an_invalid_offer_on_post_is_400_and_writes_nothing(small_hotel):
    client = signed_in(UserFactory())
    response = client.post("/book/", {**stay_of(small_hotel, offer_code="NOPE"), **details()}, **HTMX)
    assert response.status_code == 400
    assert "This offer code is not known." in response.content.decode()
    assert not Booking.objects.exists()


def test_dates_in_the_past_are_400_with_the_reason_and_no_form(small_hotel):
    response = Client().get(book_url(small_hotel, -30, -28))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Arrival cannot be before today" in html
    assert "Hold this room" not in html


def test_posting_bad_dates_is_400_beside_the_form_and_writes_nothing(small_hotel):
    client = signed_in(UserFactory())
    response = client.post("/book/", {**stay_of(small_hotel, 3, 1), **details()}, **HTMX)
    assert response.status_code == 400
    assert "Departure must be after arrival." in response.content.decode()
    assert not Booking.objects.exists()


def test_an_incomplete_link_is_400_and_an_unknown_hotel_404(small_hotel):
    assert Client().get("/book/?hotel=" + small_hotel.hotel.slug).status_code == 400
    missing = Client().get(book_url(small_hotel).replace(small_hotel.hotel.slug, "no-such-hotel"))
    assert missing.status_code == 404 and b"Page not found" in missing.content
    other = make_hotel()
    mixed = book_url(small_hotel).replace(f"room_type={small_hotel.room_type.pk}", f"room_type={other.room_type.pk}")
    assert Client().get(mixed).status_code == 404


# --- My bookings and a booking --------------------------------------------------------------------------


def test_my_bookings_lists_upcoming_and_past_only_my_own(small_hotel):
    guest = UserFactory()
    ahead = held(small_hotel, guest, 0, 2)
    gone = held(small_hotel, guest, 3, 4)
    services.booking_cancel(booking=gone)
    someone_elses = held(small_hotel, UserFactory(), 5, 6)
    response = signed_in(guest).get("/bookings/")
    html = response.content.decode()
    upcoming, past = html.split('id="past-title"')
    assert ahead.reference in upcoming and gone.reference not in upcoming
    assert gone.reference in past
    assert someone_elses.reference not in html
    partial = signed_in(guest).get("/bookings/", **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="bookings"') and ahead.reference in partial


def test_my_bookings_needs_a_login():
    response = Client().get("/bookings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/bookings/")


def test_nav_links_to_my_bookings_for_a_signed_in_guest():
    assert b'href="/bookings/">My bookings' in signed_in(UserFactory()).get("/").content
    assert b"My bookings" not in Client().get("/").content


def test_held_booking_shows_prices_expiry_countdown_and_the_pay_block(small_hotel):
    guest = UserFactory()
    booking = held(small_hotel, guest)
    response = signed_in(guest).get(f"/bookings/{booking.reference}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Held" in html and booking.reference in html
    local_expiry = booking.hold_expires_at.astimezone(small_hotel.hotel.zone)
    assert f'data-expires-at="{local_expiry.isoformat()}"' in html
    assert f">{local_expiry:%H:%M}</time>" in html  # readable without JavaScript
    assert "Confirm and pay at the hotel" in html and 'id="pay"' in html
    # The total in one format wherever it stands: the price table and both ways to pay.
    total = f"€{booking.total:,.2f}"
    assert html.count(total) >= 2 and f"{booking.total:,.2f} EUR" not in html and f"{booking.taxes:,.2f}" in html
    assert "<script>" not in html  # the countdown lives in static/js (CSP)
    partial = signed_in(guest).get(f"/bookings/{booking.reference}/", **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="booking"')


def test_confirm_pay_at_hotel_then_the_confirmation_page(small_hotel, commit):
    guest = UserFactory()
    booking = held(small_hotel, guest)
    client = signed_in(guest)
    response = commit(lambda: client.post(f"/bookings/{booking.reference}/confirm/", **HTMX))
    assert response["HX-Redirect"] == f"/bookings/{booking.reference}/confirmed/"
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    page = client.get(f"/bookings/{booking.reference}/confirmed/").content.decode()
    assert "Your booking is confirmed" in page and booking.reference in page and "at the hotel" in page
    detail = client.get(f"/bookings/{booking.reference}/").content.decode()
    assert "Confirm and pay at the hotel" not in detail
    again = client.post(f"/bookings/{booking.reference}/confirm/", **HTMX)
    assert again.status_code == 409 and "cannot be confirmed" in again.content.decode()


def test_a_lapsed_hold_cannot_be_confirmed_from_the_page(small_hotel):
    guest = UserFactory()
    booking = held(small_hotel, guest)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=booking.hold_expires_at - timedelta(hours=1))
    client = signed_in(guest)
    assert "This hold has expired" in client.get(f"/bookings/{booking.reference}/").content.decode()
    response = client.post(f"/bookings/{booking.reference}/confirm/")
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.status == Status.HELD


def test_another_guests_booking_is_the_friendly_404_everywhere(small_hotel):
    booking = held(small_hotel, UserFactory())
    intruder = signed_in(UserFactory())
    for url in ("", "confirmed/", "cancel/", "change-dates/"):
        response = intruder.get(f"/bookings/{booking.reference}/{url}")
        assert response.status_code == 404 and b"Page not found" in response.content, url
    for url in ("confirm/", "cancel/", "change-dates/"):
        payload = {"check_in": small_hotel.day(3).isoformat(), "check_out": small_hotel.day(5).isoformat()}
        assert intruder.post(f"/bookings/{booking.reference}/{url}", {**payload, "step": "apply"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.HELD and booking.check_in == small_hotel.day(0)


def test_the_hotels_desk_sees_the_guests_booking_and_other_desks_do_not(small_hotel, commit):
    booking = held(small_hotel, UserFactory(first_name="Ines", last_name="Lopes"))
    clerk, stranger = UserFactory(), UserFactory()
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=small_hotel.hotel))
    commit(lambda: object_role_grant(user=stranger, role=FRONT_DESK, scope=make_hotel().hotel))
    page = signed_in(clerk).get(f"/bookings/{booking.reference}/").content.decode()
    assert "Guest: Ines Lopes" in page
    assert signed_in(stranger).get(f"/bookings/{booking.reference}/").status_code == 404


# --- Cancel -----------------------------------------------------------------------------------------------


def test_cancel_page_shows_the_terms_first_and_changes_nothing(small_hotel):
    guest = UserFactory()
    booking = services.booking_confirm(booking=held(small_hotel, guest, 10, 12))
    response = signed_in(guest).get(f"/bookings/{booking.reference}/cancel/")
    html = response.content.decode()
    assert response.status_code == 200
    deadline = booking.check_in - timedelta(days=2)  # 48 hours before the 15:00 check-in time
    assert f"until {date_format(deadline, 'D j N Y')}, 15:00" in html
    assert "Cancelling now is free." in html
    assert "The hotel keeps" in html and "Refund" in html
    assert "Cancel my booking" in html
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_late_cancellation_shows_what_the_hotel_keeps_before_acting(db):
    place = make_hotel(free_cancellation_hours=24 * 60)  # the deadline is long past
    guest = UserFactory()
    booking = services.booking_confirm(booking=held(place, guest, 0, 2))
    html = signed_in(guest).get(f"/bookings/{booking.reference}/cancel/").content.decode()
    first_night_share = (booking.total / 2).quantize(Decimal("0.01"))
    assert "The free cancellation period is over" in html
    assert f"keeps €{first_night_share:,.2f}" in html


def test_cancel_posts_cancel_and_the_booking_page_shows_the_result(small_hotel, commit):
    guest = UserFactory()
    booking = services.booking_confirm(booking=held(small_hotel, guest))
    client = signed_in(guest)
    response = commit(lambda: client.post(f"/bookings/{booking.reference}/cancel/", {"reason": "Plans changed"}))
    assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.reference}/"
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and booking.cancellation_reason == "Plans changed"
    page = client.get(response["Location"]).content.decode()
    assert f"Booking {booking.reference} is cancelled. Nothing is charged." in page
    assert "Cancel booking" not in page
    assert mail.outbox[-1].subject == f"Booking cancelled: {booking.reference}"


def test_cancelling_twice_says_why_and_htmx_gets_the_form_with_409(small_hotel):
    guest = UserFactory()
    booking = held(small_hotel, guest)
    client = signed_in(guest)
    client.post(f"/bookings/{booking.reference}/cancel/", **HTMX)
    assert "cannot be cancelled" in client.get(f"/bookings/{booking.reference}/cancel/").content.decode()
    again = client.post(f"/bookings/{booking.reference}/cancel/", **HTMX)
    assert again.status_code == 409
    assert again.content.decode().lstrip().startswith("<form") and "cannot be cancelled" in again.content.decode()


# --- Change dates ----------------------------------------------------------------------------------------


def test_change_dates_shows_the_new_price_and_difference_before_changing(small_hotel):
    guest = UserFactory()
    booking = held(small_hotel, guest, 0, 2)
    client = signed_in(guest)
    form = client.get(f"/bookings/{booking.reference}/change-dates/").content.decode()
    assert f'value="{booking.check_in.isoformat()}"' in form
    wanted = {"check_in": small_hotel.day(4).isoformat(), "check_out": small_hotel.day(7).isoformat()}
    preview = client.post(f"/bookings/{booking.reference}/change-dates/", wanted, **HTMX)
    html = preview.content.decode()
    assert preview.status_code == 200 and html.lstrip().startswith('<section id="date-quote"')
    assert "€330.00" in html  # three nights at 100.00 plus 10 % taxes
    assert "<strong>€110.00 more</strong>" in html
    assert 'name="step" value="apply"' in html
    booking.refresh_from_db()
    assert (booking.check_in, booking.total) == (small_hotel.day(0), Decimal("220.00"))


def test_change_dates_confirm_applies_them(small_hotel, commit):
    guest = UserFactory()
    booking = held(small_hotel, guest, 0, 2)
    client = signed_in(guest)
    wanted = {"check_in": small_hotel.day(4).isoformat(), "check_out": small_hotel.day(5).isoformat(), "step": "apply"}
    response = commit(lambda: client.post(f"/bookings/{booking.reference}/change-dates/", wanted, **HTMX))
    assert response["HX-Redirect"] == f"/bookings/{booking.reference}/"
    booking.refresh_from_db()
    assert (booking.check_in, booking.check_out, booking.total) == (
        small_hotel.day(4),
        small_hotel.day(5),
        Decimal("110.00"),
    )
    assert "Your stay now runs from" in client.get(f"/bookings/{booking.reference}/").content.decode()


def test_change_dates_to_sold_out_nights_is_409_and_changes_nothing(one_room_hotel):
    guest = UserFactory()
    booking = held(one_room_hotel, guest, 0, 2)
    held(one_room_hotel, UserFactory(), 4, 6)
    wanted = {"check_in": one_room_hotel.day(4).isoformat(), "check_out": one_room_hotel.day(6).isoformat()}
    response = signed_in(guest).post(f"/bookings/{booking.reference}/change-dates/", wanted, **HTMX)
    assert response.status_code == 409
    assert "not available for the new dates" in response.content.decode()
    booking.refresh_from_db()
    assert booking.check_in == one_room_hotel.day(0)


def test_change_dates_with_departure_before_arrival_is_400(small_hotel):
    guest = UserFactory()
    booking = held(small_hotel, guest)
    wanted = {"check_in": small_hotel.day(5).isoformat(), "check_out": small_hotel.day(4).isoformat()}
    response = signed_in(guest).post(f"/bookings/{booking.reference}/change-dates/", wanted)
    assert response.status_code == 400
    assert b"Departure must be after arrival." in response.content


def test_my_bookings_page_queries_do_not_grow_with_the_bookings(small_hotel, django_assert_max_num_queries):
    guest = UserFactory()
    client = signed_in(guest)
    held(small_hotel, guest, 0, 1)
    with django_assert_max_num_queries(12) as few:
        client.get("/bookings/")
    for first in range(2, 12, 2):
        held(small_hotel, guest, first, first + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/bookings/").status_code == 200


def test_a_clerk_cancelling_sees_the_terms_worded_for_the_desk(small_hotel, django_capture_on_commit_callbacks):
    from apps.accounts.roles import FRONT_DESK
    from apps.accounts.services import object_role_grant

    guest, clerk = UserFactory(), UserFactory()
    booking = held(small_hotel, guest)
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=clerk, role=FRONT_DESK, scope=small_hotel.hotel)
    html = signed_in(clerk).get(f"/bookings/{booking.reference}/cancel/").content.decode()
    assert "Cancel the guest's booking" in html
    assert "The guest has paid" in html
    assert "Cancel my booking" not in html
