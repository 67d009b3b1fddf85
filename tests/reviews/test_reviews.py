"""Reviews through the API and the services: who may write what and when, and what everyone then sees."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.bookings.models import Booking
from apps.hotels.models import Hotel
from apps.reviews import services
from apps.reviews.models import Review
from tests.factories import BookingFactory, CheckedOutBookingFactory, UserFactory
from tests.reviews.conftest import client_for, stay

pytestmark = pytest.mark.django_db


def body(booking: Booking, **overrides: object) -> dict[str, object]:
    return {"booking": booking.reference, "rating": 5, "title": "Lovely", "text": "Great view.", **overrides}


def post_review(booking: Booking, user: object = None, **overrides: object):
    return client_for(user or booking.guest).post("/api/v1/reviews/", body(booking, **overrides), format="json")


def test_guest_reviews_checked_out_stay_and_hotel_figures_follow(checked_out):
    response = post_review(checked_out, ratings={"cleanliness": 4, "staff": 5})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["rating"] == 5 and data["status"] == "published" and data["editable"] is True
    assert data["ratings"] == {"cleanliness": 4, "comfort": None, "location": None, "staff": 5, "value": None}
    assert data["author_name"] == "Gina G."
    assert data["stay_month"] == checked_out.check_in.strftime("%Y-%m")
    hotel = Hotel.objects.get(pk=checked_out.hotel_id)
    assert (hotel.rating, hotel.review_count, hotel.rating_cleanliness, hotel.rating_comfort) == (
        Decimal("5.0"),
        1,
        Decimal("4.0"),
        None,
    )
    detail = client_for(None).get(f"/api/v1/hotels/{hotel.slug}/").json()
    assert detail["rating"] == 5.0 and detail["review_count"] == 1
    listed = client_for(None).get(f"/api/v1/hotels/{hotel.slug}/reviews/").json()
    assert [review["title"] for review in listed["results"]] == ["Lovely"]
    assert listed["results"][0]["response"] is None
    assert "booking" not in listed["results"][0] and "status" not in listed["results"][0]


def test_hotel_without_reviews_has_null_rating(place):
    detail = client_for(None).get(f"/api/v1/hotels/{place.hotel.slug}/").json()
    assert detail["rating"] is None and detail["review_count"] == 0
    listed = client_for(None).get("/api/v1/hotels/").json()["results"]
    assert listed[0]["rating"] is None and listed[0]["review_count"] == 0


@pytest.mark.parametrize("rating", [0, 6, 3.5, "3.5", True, None])
def test_rating_outside_one_to_five_is_refused(checked_out, rating):
    response = post_review(checked_out, rating=rating)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "rating" in response.json()["error"]["fields"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("score", [0, 6, 2.5])
def test_category_rating_outside_one_to_five_is_refused(checked_out, score):
    response = post_review(checked_out, ratings={"comfort": score})
    assert response.status_code == 400
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, 3.5])
def test_the_service_itself_refuses_bad_ratings(checked_out, rating):
    with pytest.raises(services.ValidationFailed):
        services.review_create(author=checked_out.guest, booking=checked_out, rating=rating, text="x")
    assert not Review.objects.exists()


def test_text_over_five_thousand_characters_is_refused(checked_out):
    response = post_review(checked_out, text="a" * 5001)
    assert response.status_code == 400 and "text" in response.json()["error"]["fields"]
    assert post_review(checked_out, text="a" * 5000).status_code == 201


def test_someone_elses_booking_is_not_found(checked_out):
    response = post_review(checked_out, user=UserFactory())
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_staff_of_the_hotel_cannot_review_a_guests_stay(checked_out, manager):
    response = post_review(checked_out, user=manager)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "cancelled", "checked_out_at": None},
        {"status": "confirmed", "checked_out_at": None},
        {"status": "checked_in", "checked_out_at": None},
        {"status": "no_show", "checked_out_at": None},
    ],
    ids=["cancelled", "future-stay", "still-in-house", "no-show"],
)
def test_only_a_checked_out_stay_can_be_reviewed(place, fields):
    booking = stay(place, **fields)
    if fields["status"] == "confirmed":
        booking.check_in = timezone.now().date() + timedelta(days=20)
        booking.check_out = booking.check_in + timedelta(days=2)
        booking.save()
    response = post_review(booking)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Review.objects.exists()


def test_reviews_close_ninety_days_after_check_out(place):
    late = stay(place, checked_out_at=timezone.now() - timedelta(days=92))
    assert post_review(late).status_code == 403
    in_time = stay(place, checked_out_at=timezone.now() - timedelta(days=89))
    assert post_review(in_time).status_code == 201


def test_a_second_review_of_a_booking_is_a_conflict(checked_out):
    assert post_review(checked_out).status_code == 201
    second = post_review(checked_out, rating=1)
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    assert Review.objects.count() == 1
    assert Hotel.objects.get(pk=checked_out.hotel_id).rating == Decimal("5.0")


def test_author_edits_and_deletes_until_the_hotel_responds(checked_out, manager):
    review_id = post_review(checked_out).json()["id"]
    author = client_for(checked_out.guest)
    edited = author.patch(f"/api/v1/reviews/{review_id}/", {"rating": 3, "ratings": {"value": 2}}, format="json")
    assert edited.status_code == 200 and edited.json()["rating"] == 3 and edited.json()["ratings"]["value"] == 2
    assert Hotel.objects.get(pk=checked_out.hotel_id).rating == Decimal("3.0")

    answered = client_for(manager).post(f"/api/v1/reviews/{review_id}/response/", {"text": "Thank you!"}, format="json")
    assert answered.status_code == 201 and answered.json()["response"]["text"] == "Thank you!"
    assert answered.json()["editable"] is False
    late_edit = author.patch(f"/api/v1/reviews/{review_id}/", {"rating": 1}, format="json")
    assert late_edit.status_code == 409 and late_edit.json()["error"]["code"] == "invalid_state"
    assert author.delete(f"/api/v1/reviews/{review_id}/").status_code == 409
    assert Review.objects.get(pk=review_id).rating == 3


def test_author_deletes_review_and_it_leaves_the_figures(checked_out):
    review_id = post_review(checked_out).json()["id"]
    assert client_for(checked_out.guest).delete(f"/api/v1/reviews/{review_id}/").status_code == 204
    hotel = Hotel.objects.get(pk=checked_out.hotel_id)
    assert (hotel.rating, hotel.review_count) == (None, 0)
    assert Review.all_objects.get(pk=review_id).is_deleted
    assert client_for(None).get(f"/api/v1/hotels/{hotel.slug}/reviews/").json()["results"] == []


def test_others_cannot_edit_a_review(checked_out, manager):
    review_id = post_review(checked_out).json()["id"]
    assert (
        client_for(UserFactory()).patch(f"/api/v1/reviews/{review_id}/", {"rating": 1}, format="json").status_code
        == 404
    )
    assert client_for(manager).patch(f"/api/v1/reviews/{review_id}/", {"rating": 1}, format="json").status_code == 403
    assert client_for(manager).delete(f"/api/v1/reviews/{review_id}/").status_code == 403


def test_the_response_can_be_edited_and_tells_the_guest_once(checked_out, manager, django_capture_on_commit_callbacks):
    review_id = post_review(checked_out).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        first = client_for(manager).post(f"/api/v1/reviews/{review_id}/response/", {"text": "Thanks"}, format="json")
        again = client_for(manager).post(
            f"/api/v1/reviews/{review_id}/response/", {"text": "Thanks a lot"}, format="json"
        )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["response"]["text"] == "Thanks a lot"
    sent = [message for message in mail.outbox if "responded to your review" in message.subject]
    assert len(sent) == 1 and sent[0].to == [checked_out.guest.email] and "Thanks" in sent[0].body
    public = client_for(None).get(f"/api/v1/hotels/{checked_out.hotel.slug}/reviews/").json()["results"][0]
    assert public["response"]["text"] == "Thanks a lot"


def test_only_staff_with_the_respond_right_at_that_hotel_respond(checked_out, desk):
    review_id = post_review(checked_out).json()["id"]
    assert (
        client_for(desk).post(f"/api/v1/reviews/{review_id}/response/", {"text": "Hi"}, format="json").status_code
        == 404
    )
    author = client_for(checked_out.guest).post(f"/api/v1/reviews/{review_id}/response/", {"text": "Me"}, format="json")
    assert author.status_code == 403
    other_manager = _manager_elsewhere()
    assert (
        client_for(other_manager)
        .post(f"/api/v1/reviews/{review_id}/response/", {"text": "x"}, format="json")
        .status_code
        == 404
    )


def _manager_elsewhere():
    from apps.accounts.roles import HOTEL_MANAGER
    from apps.accounts.services import object_role_grant
    from tests.factories import HotelFactory

    user = UserFactory()
    object_role_grant(user=user, role=HOTEL_MANAGER, scope=HotelFactory())
    return user


def test_manager_hides_a_review_with_a_reason_and_publishes_it_again(place, manager):
    kept = stay(place)
    hidden = stay(place)
    post_review(kept, rating=4)
    review_id = post_review(hidden, rating=1).json()["id"]
    assert Hotel.objects.get(pk=place.hotel.pk).rating == Decimal("2.5")

    no_reason = client_for(manager).post(f"/api/v1/reviews/{review_id}/hide/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    response = client_for(manager).post(
        f"/api/v1/reviews/{review_id}/hide/", {"reason": "Abusive words"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "hidden"
    hotel = Hotel.objects.get(pk=place.hotel.pk)
    assert (hotel.rating, hotel.review_count) == (Decimal("4.0"), 1)
    public = client_for(None).get(f"/api/v1/hotels/{hotel.slug}/reviews/").json()["results"]
    assert [review["rating"] for review in public] == [4]

    # The author sees it hidden, with the reason; another guest does not see it at all.
    own = client_for(hidden.guest).get(f"/api/v1/reviews/{review_id}/").json()
    assert own["status"] == "hidden" and own["hidden_reason"] == "Abusive words"
    assert client_for(UserFactory()).get(f"/api/v1/reviews/{review_id}/").status_code == 404
    assert client_for(hidden.guest).get("/api/v1/reviews/").json()["results"][0]["status"] == "hidden"

    assert (
        client_for(manager).post(f"/api/v1/reviews/{review_id}/hide/", {"reason": "again"}, format="json").status_code
        == 409
    )
    published = client_for(manager).post(f"/api/v1/reviews/{review_id}/publish/")
    assert published.status_code == 200 and published.json()["hidden_reason"] == ""
    assert Hotel.objects.get(pk=place.hotel.pk).review_count == 2


def test_desk_and_guests_cannot_moderate(checked_out, desk):
    review_id = post_review(checked_out).json()["id"]
    assert (
        client_for(checked_out.guest)
        .post(f"/api/v1/reviews/{review_id}/hide/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(desk).post(f"/api/v1/reviews/{review_id}/hide/", {"reason": "x"}, format="json").status_code == 404
    )
    assert Review.objects.get(pk=review_id).status == "published"


def test_staff_list_filters_unanswered(place, manager):
    answered, waiting = stay(place), stay(place)
    first = post_review(answered).json()["id"]
    post_review(waiting)
    client_for(manager).post(f"/api/v1/reviews/{first}/response/", {"text": "Thanks"}, format="json")
    unanswered = client_for(manager).get("/api/v1/reviews/?unanswered=true").json()["results"]
    assert [review["booking"] for review in unanswered] == [waiting.reference]
    assert client_for(UserFactory()).get("/api/v1/reviews/").json()["results"] == []


def test_public_list_is_newest_first_and_published_only(place, manager):
    older, newer = stay(place), stay(place)
    post_review(older, title="Older")
    post_review(newer, title="Newer")
    titles = [r["title"] for r in client_for(None).get(f"/api/v1/hotels/{place.hotel.slug}/reviews/").json()["results"]]
    assert titles == ["Newer", "Older"]
    assert client_for(None).get("/api/v1/hotels/no-such-hotel/reviews/").status_code == 404


def test_invite_job_sends_one_email_per_checked_out_stay(place, django_capture_on_commit_callbacks):
    fresh = stay(place, checked_out_at=timezone.now() - timedelta(hours=2))
    reviewed = stay(place, checked_out_at=timezone.now() - timedelta(hours=3))
    services.review_create(author=reviewed.guest, booking=reviewed, rating=5, text="Done already")
    stay(place, checked_out_at=timezone.now() - timedelta(days=30))  # long before the job ran: no invite now
    BookingFactory(hotel=place.hotel, room=place.rooms[1], room_type=place.room_type)  # a future stay
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_send_invites() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_send_invites() == 0
    invites = [message for message in mail.outbox if message.subject.startswith("How was your stay")]
    assert [message.to for message in invites] == [[fresh.guest.email]]
    assert f"/bookings/{fresh.reference}/review/" in invites[0].body


def test_check_out_through_the_desk_then_the_invite(place, django_capture_on_commit_callbacks):
    from apps.bookings.services import booking_check_out

    booking = CheckedOutBookingFactory(
        hotel=place.hotel, room=place.rooms[0], room_type=place.room_type, status="checked_in", checked_out_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking_check_out(booking=booking, leave_open_reason="Invoiced to the company")
        assert services.review_send_invites() == 1
    assert any(message.subject.startswith("How was your stay") for message in mail.outbox)
