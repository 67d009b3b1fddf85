"""Review pages: the hotel page's summary and list, My bookings, writing a review, and the staff's reviews page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.reviews import services
from apps.reviews.models import Review
from tests.factories import UserFactory
from tests.reviews.conftest import stay

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reviewed(place, count: int, **fields) -> list[Review]:
    made = []
    for n in range(count):
        booking = stay(place)
        made.append(
            services.review_create(
                author=booking.guest,
                booking=booking,
                rating=fields.get("rating", 1 + n % 5),
                ratings={"cleanliness": 5, "value": 3},
                title=f"Stay {n}",
                text=f"Review number {n}.",
            )
        )
    return made


def test_hotel_page_shows_summary_bars_and_latest_reviews_with_responses(place, manager):
    reviews = reviewed(place, 7)
    services.review_respond(review=reviews[-1], responder=manager, text="We hope to see you again.")
    html = Client().get(f"/hotels/{place.hotel.slug}/").content.decode()
    assert "★ 2.6" in html and "7 reviews" in html  # (1+2+3+4+5+1+2) / 7 = 2.57, one decimal half up
    assert 'aria-label="Cleanliness 5.0 out of 5"' in html and 'aria-label="Value 3.0 out of 5"' in html
    assert "Stay 6" in html and "Stay 2" in html and "Stay 1" not in html  # the latest five
    assert "We hope to see you again." in html
    assert f"/hotels/{place.hotel.slug}/reviews/?page=2" in html


def test_more_reviews_load_with_htmx_and_without(place):
    reviewed(place, 7)
    more = Client().get(f"/hotels/{place.hotel.slug}/reviews/?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert "Stay 1" in more and "Stay 0" in more and "Stay 6" not in more and "<html" not in more
    assert "page=3" not in more
    page = Client().get(f"/hotels/{place.hotel.slug}/reviews/?page=2").content.decode()
    assert "<html" in page and "Stay 0" in page


def test_hotel_page_queries_do_not_grow_with_the_reviews(place, django_assert_max_num_queries):
    reviewed(place, 3)
    client = Client()
    client.get(f"/hotels/{place.hotel.slug}/")  # warm the catalogue cache
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/hotels/{place.hotel.slug}/").status_code == 200
    counted = len(few.captured_queries)  # read now: the next request clears the connection's query log
    reviewed(place, 30)
    client.get(f"/hotels/{place.hotel.slug}/")
    with django_assert_max_num_queries(counted):
        assert client.get(f"/hotels/{place.hotel.slug}/").status_code == 200


def test_hidden_reviews_leave_the_hotel_page(place, manager):
    hidden, _kept = reviewed(place, 2)
    services.review_hide(review=hidden, moderator=manager, reason="Not about the hotel")
    html = Client().get(f"/hotels/{place.hotel.slug}/").content.decode()
    assert "Stay 1" in html and "Stay 0" not in html and "1 review" in html


def test_hotel_page_shows_each_change_of_its_reviews_once_shown(place, manager, django_capture_on_commit_callbacks):
    # The section is kept per version of the hotel's reviews: each change the list shows makes a new one.
    with django_capture_on_commit_callbacks(execute=True):
        first, second = reviewed(place, 2)
    client, page = Client(), f"/hotels/{place.hotel.slug}/"
    assert "Stay 1" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_respond(review=second, responder=manager, text="Thank you, Gina.")
    assert "Thank you, Gina." in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_respond(review=second, responder=manager, text="Thank you again.")
    html = client.get(page).content.decode()
    assert "Thank you again." in html and "Thank you, Gina." not in html
    with django_capture_on_commit_callbacks(execute=True):
        services.review_update(review=first, author=first.author, text="The breakfast was cold.")
    assert "The breakfast was cold." in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_hide(review=second, moderator=manager, reason="Not about the hotel")
    html = client.get(page).content.decode()
    assert "Stay 1" not in html and "Stay 0" in html and "1 review" in html


def test_hotel_page_without_reviews_reads_none(place, django_assert_max_num_queries):
    client = Client()
    client.get(f"/hotels/{place.hotel.slug}/")  # warm the catalogue cache
    with django_assert_max_num_queries(20) as queries:
        html = client.get(f"/hotels/{place.hotel.slug}/").content.decode()
    assert "No reviews yet." in html
    assert not [query for query in queries.captured_queries if "reviews_review" in query["sql"]]


def test_search_results_show_each_hotels_rating(place):
    reviewed(place, 2, rating=4)
    html = Client().get("/", {"q": place.hotel.name}).content.decode()
    assert "★ 4.0" in html and "2 reviews" in html


def test_my_bookings_offers_review_your_stay_then_shows_the_review(place, checked_out):
    client = signed_in(checked_out.guest)
    html = client.get("/bookings/").content.decode()
    assert "Review your stay" in html and f"/bookings/{checked_out.reference}/review/" in html
    response = client.post(
        f"/bookings/{checked_out.reference}/review/",
        {"rating": "4", "title": "Calm", "text": "Slept well.", "value": "5"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/hotels/{place.hotel.slug}/#reviews")
    review = Review.objects.get(booking=checked_out)
    assert (review.rating, review.value, review.comfort) == (4, 5, None)
    html = client.get("/bookings/").content.decode()
    assert "Review your stay" not in html and "Your review: 4/5" in html
    assert "Slept well." in Client().get(f"/hotels/{place.hotel.slug}/").content.decode()


def test_my_bookings_queries_do_not_grow_with_reviewable_stays(place, django_assert_max_num_queries):
    guest = UserFactory()
    client = signed_in(guest)
    stay(place, guest=guest)
    client.get("/bookings/")  # warm: the permission cache, the session
    with django_assert_max_num_queries(15) as few:
        client.get("/bookings/")
    counted = len(few.captured_queries)
    for _ in range(6):
        booking = stay(place, guest=guest)
        services.review_create(author=guest, booking=booking, rating=3, text="ok")
    with django_assert_max_num_queries(counted):
        assert client.get("/bookings/").status_code == 200


def test_no_invite_for_a_stay_past_ninety_days(place):
    old = stay(place, checked_out_at=timezone.now() - timedelta(days=100))
    client = signed_in(old.guest)
    assert "Review your stay" not in client.get("/bookings/").content.decode()
    assert client.get(f"/bookings/{old.reference}/review/").status_code == 403


def test_write_page_shows_errors_in_place(checked_out):
    response = signed_in(checked_out.guest).post(
        f"/bookings/{checked_out.reference}/review/", {"rating": "9", "text": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "review-form" in response.content.decode() and not Review.objects.exists()


def test_booking_page_shows_the_review_panel(checked_out):
    html = signed_in(checked_out.guest).get(f"/bookings/{checked_out.reference}/").content.decode()
    assert "Review your stay" in html and "Get help with this booking" in html


def test_staff_reviews_page_filters_and_responds_inline(place, manager, desk):
    answered, waiting = reviewed(place, 2)
    services.review_respond(review=answered, responder=manager, text="Thanks!")
    client = signed_in(manager)
    html = client.get("/staff/reviews/", {"unanswered": "on"}).content.decode()
    assert "Stay 1" in html and "Stay 0" not in html
    response = client.post(
        f"/staff/reviews/{waiting.pk}/respond/", {f"r{waiting.pk}-text": "Glad you liked it"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Change the response" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.response_text == "Glad you liked it"
    hide = client.post(f"/staff/reviews/{waiting.pk}/hide/", {f"h{waiting.pk}-reason": "Spam"}, HTTP_HX_REQUEST="true")
    assert hide.status_code == 200 and "Publish again" in hide.content.decode()
    assert signed_in(desk).get("/staff/reviews/").status_code == 403
    assert signed_in(UserFactory()).get("/staff/reviews/").status_code == 403


def test_staff_reviews_page_queries_do_not_grow(place, manager, django_assert_max_num_queries):
    reviewed(place, 2)
    client = signed_in(manager)
    client.get("/staff/reviews/")  # warm: the permission cache, the session
    with django_assert_max_num_queries(20) as few:
        client.get("/staff/reviews/")
    counted = len(few.captured_queries)
    reviewed(place, 20)
    with django_assert_max_num_queries(counted):
        assert client.get("/staff/reviews/").status_code == 200


def test_nav_links_for_staff(manager, desk):
    assert 'href="/staff/reviews/"' in signed_in(manager).get("/").content.decode()
    desk_nav = signed_in(desk).get("/").content.decode()
    assert 'href="/staff/tickets/"' in desk_nav and 'href="/staff/reviews/"' not in desk_nav
    assert 'href="/help/"' in signed_in(UserFactory()).get("/").content.decode()
