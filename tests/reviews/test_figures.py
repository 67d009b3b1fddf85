"""The hotel's figures equal a recount after any sequence of review writes, and racing writers never lose one."""

from __future__ import annotations

import contextlib
import threading
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from apps.accounts.roles import HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.core.errors import ApplicationError, Conflict
from apps.hotels.models import Hotel
from apps.reviews import services
from apps.reviews.models import CATEGORIES, Review
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory
from tests.reviews.conftest import stay

SCORES = st.one_of(st.none(), st.integers(1, 5))
RATINGS = st.fixed_dictionaries({}, optional={name: SCORES for name in CATEGORIES})


def recount(values: list[int | None]) -> Decimal | None:
    """The average as a person would work it out: the given scores, to one decimal, half up."""
    given = [value for value in values if value is not None]
    if not given:
        return None
    return (Decimal(sum(given)) / len(given)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class ReviewFigures(RuleBasedStateMachine):
    reviews = Bundle("reviews")

    def __init__(self) -> None:
        super().__init__()
        self.place = make_hotel(rooms=1)
        self.manager = UserFactory()
        object_role_grant(user=self.manager, role=HOTEL_MANAGER, scope=self.place.hotel)

    def _review(self, review_id: int) -> Review:
        return Review.all_objects.get(pk=review_id)

    @rule(target=reviews, rating=st.integers(1, 5), ratings=RATINGS)
    def create(self, rating: int, ratings: dict[str, int | None]):
        booking = stay(self.place)
        return services.review_create(
            author=booking.guest, booking=booking, rating=rating, ratings=ratings, text="A stay."
        ).pk

    @rule(review=reviews, rating=st.integers(1, 5), ratings=RATINGS)
    def edit(self, review: int, rating: int, ratings: dict[str, int | None]):
        found = self._review(review)
        with contextlib.suppress(ApplicationError):
            services.review_update(review=found, author=found.author, rating=rating, ratings=ratings)

    @rule(review=reviews)
    def delete(self, review: int):
        found = self._review(review)
        with contextlib.suppress(ApplicationError):
            services.review_delete(review=found, author=found.author)

    @rule(review=reviews)
    def hide(self, review: int):
        with contextlib.suppress(ApplicationError):
            services.review_hide(review=self._review(review), moderator=self.manager, reason="Moderated")

    @rule(review=reviews)
    def publish(self, review: int):
        with contextlib.suppress(ApplicationError):
            services.review_publish(review=self._review(review), moderator=self.manager)

    @rule(review=reviews)
    def respond(self, review: int):
        with contextlib.suppress(ApplicationError):
            services.review_respond(review=self._review(review), responder=self.manager, text="Thank you")

    @invariant()
    def figures_equal_a_recount(self):
        hotel = Hotel.objects.get(pk=self.place.hotel.pk)
        shown = [r for r in Review.all_objects.filter(hotel=hotel) if not r.is_deleted and r.status == "published"]
        assert hotel.review_count == len(shown)
        assert hotel.rating == recount([r.rating for r in shown])
        for name in CATEGORIES:
            assert getattr(hotel, f"rating_{name}") == recount([getattr(r, name) for r in shown]), name


@pytest.mark.django_db
def test_figures_equal_a_recount_after_any_sequence_of_writes():
    ReviewFigures.TestCase.settings = settings(
        max_examples=30, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
    )
    ReviewFigures.TestCase().runTest()


def _race(count: int, work) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(10)
            work(index)
            result = "ok"
        except Conflict:
            result = "conflict"
        except Exception as error:  # anything else is a bug the assertion shows
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_guests_reviewing_at_once_are_all_counted():
    place = make_hotel(rooms=1)
    stays = [stay(place) for _ in range(8)]
    outcomes = _race(
        8, lambda n: services.review_create(author=stays[n].guest, booking=stays[n], rating=1 + n % 5, text="Racing")
    )
    assert outcomes == ["ok"] * 8
    hotel = Hotel.objects.get(pk=place.hotel.pk)
    assert hotel.review_count == 8
    assert hotel.rating == recount([1 + n % 5 for n in range(8)])


@pytest.mark.django_db(transaction=True)
def test_two_reviews_of_one_booking_at_once_make_one():
    place = make_hotel(rooms=1)
    booking = stay(place)
    outcomes = _race(6, lambda n: services.review_create(author=booking.guest, booking=booking, rating=5, text="Twice"))
    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"]
    assert Review.objects.filter(booking=booking).count() == 1
    assert Hotel.objects.get(pk=place.hotel.pk).review_count == 1
