"""The hotel page with 2,000 published reviews: p50/p95 in-process, against the /healthz floor.

Run: .venv/bin/python -m hbs.devenv bench bench/reviews.py
A hotel of its own gets 2,000 checked-out stays, each reviewed (bulk-inserted: bench
data, without audit lines), and its figures recounted by the review service's own
recount. Then the timings: the hotel page (summary from the hotel's figures plus the
latest reviews, rendered once per version of the hotel's reviews), the same page
with that section read and rendered for every request, the page of a hotel without
reviews (what the machine costs), the next page of reviews through htmx, and the
public API list. Target: hotel page p95 < 30 ms.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from common import floor, report, timed
from django.db import connection
from django.test import Client
from django.utils import timezone

REVIEWS = 2000
SAMPLES = 400
SLUG = "bench-reviews"


def reviewed_hotel():  # type: ignore[no-untyped-def]
    from apps.accounts.models import User
    from apps.bookings.models import Booking
    from apps.hotels.models import Hotel, Room, RoomType
    from apps.reviews.models import Review
    from apps.reviews.services import _refresh_figures

    hotel = Hotel.objects.filter(slug=SLUG).first()
    if hotel is None:
        hotel = Hotel.objects.create(
            name="Bench Reviews", slug=SLUG, city="Lisbon", country="PT", time_zone="Europe/Lisbon", currency="EUR"
        )
        room_type = RoomType.objects.create(hotel=hotel, name="Double", base_rate=Decimal("100.00"), max_adults=2)
        Room.objects.create(hotel=hotel, room_type=room_type, number="101")
    missing = REVIEWS - Review.objects.filter(hotel=hotel).count()
    if missing > 0:
        rng = random.Random(2026)
        room = Room.objects.filter(hotel=hotel).select_related("room_type").get()
        guests = User.objects.bulk_create(
            User(email=f"reviewer{n}-{timezone.now():%H%M%S%f}@bench.hbs.test", first_name="Bench", last_name="Guest")
            for n in range(missing)
        )
        today = timezone.now().date()
        stays = Booking.objects.bulk_create(
            Booking(
                guest=guest,
                hotel=hotel,
                room_type=room.room_type,
                room=room,
                check_in=today - timedelta(days=n % 80 + 3),
                check_out=today - timedelta(days=n % 80 + 1),
                status=Booking.Status.CHECKED_OUT,
                hold_expires_at=None,
                subtotal=Decimal("200.00"),
                total=Decimal("200.00"),
                currency="EUR",
                checked_out_at=timezone.now() - timedelta(days=n % 80 + 1),
            )
            for n, guest in enumerate(guests)
        )
        now = timezone.now()
        Review.objects.bulk_create(
            Review(
                booking=stay,
                hotel=hotel,
                author=stay.guest,
                rating=rng.randint(1, 5),
                cleanliness=rng.choice([None, 3, 4, 5]),
                comfort=rng.choice([None, 2, 4, 5]),
                title=f"Stay {n}",
                text="A calm room, a kind desk and a good breakfast. " * rng.randint(1, 6),
                stay_month=stay.check_in.replace(day=1),
                created_at=now - timedelta(minutes=n),
                response_text="Thank you for staying with us." if n % 3 == 0 else "",
                responded_at=now if n % 3 == 0 else None,
            )
            for n, stay in enumerate(stays)
        )
        with connection.cursor() as cursor:  # fresh statistics, as after any bulk load (seed_demo does the same)
            cursor.execute("ANALYZE reviews_review")
    _refresh_figures(hotel)
    hotel.refresh_from_db()
    print(f"hotel {hotel.slug}: {Review.objects.filter(hotel=hotel).count()} reviews, rating {hotel.rating}")
    return hotel


def _empty_hotel():  # type: ignore[no-untyped-def]
    """The same hotel page without reviews: what the reviews add is the difference."""
    from apps.hotels.models import Hotel, Room, RoomType

    hotel, created = Hotel.objects.get_or_create(
        slug=f"{SLUG}-none",
        defaults={
            "name": "Bench No Reviews",
            "city": "Lisbon",
            "country": "PT",
            "time_zone": "Europe/Lisbon",
            "currency": "EUR",
        },
    )
    if created:
        room_type = RoomType.objects.create(hotel=hotel, name="Double", base_rate=Decimal("100.00"), max_adults=2)
        Room.objects.create(hotel=hotel, room_type=room_type, number="101")
    return hotel


def main() -> None:
    hotel = reviewed_hotel()
    client = Client(HTTP_HOST="127.0.0.1")
    floor(client)
    page = f"/hotels/{hotel.slug}/"
    assert client.get(page).status_code == 200
    assert b"Stay 0" in client.get(page).content
    timed(50, lambda _: client.get(page))  # warm up
    figures = report("GET hotel page", timed(SAMPLES, lambda _: client.get(page)))
    from apps.reviews.fragments import forget_fragments

    def rendered_each_time(_: int) -> None:  # the page as before the section was kept: query and render each time
        forget_fragments()
        client.get(page)

    report("GET hotel page, section rebuilt", timed(SAMPLES, rendered_each_time))
    empty = _empty_hotel()
    report("GET hotel page, no reviews", timed(SAMPLES, lambda _: client.get(f"/hotels/{empty.slug}/")))
    more = f"/hotels/{hotel.slug}/reviews/"
    report(
        "GET more reviews (htmx)",
        timed(SAMPLES, lambda n: client.get(more, {"page": 2 + n % 50}, HTTP_HX_REQUEST="true")),
    )
    api = f"/api/v1/hotels/{hotel.slug}/reviews/"
    report("GET API reviews list", timed(SAMPLES, lambda n: client.get(api, {"page": 1 + n % 50})))
    verdict = "meets" if figures["p95"] < 30 else "misses"
    print(f"hotel page with {REVIEWS:,} reviews: p95 {figures['p95']:.2f} ms {verdict} the 30 ms target")


if __name__ == "__main__":
    main()
