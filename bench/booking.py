"""Booking creation on a big hotel: p50/p95 of POST /api/v1/bookings/, against the /healthz floor.

Run: .venv/bin/python -m hbs.devenv bench bench/booking.py
Each request holds a room for new dates beyond the seeded timeline, through the
whole stack (JWT auth, idempotency key, the service's locks and inserts, the
outbox lines). The holds are cancelled afterwards so the run can be repeated.
Target: p95 < 40 ms.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from common import big_hotel, floor, report, timed
from rest_framework.test import APIClient

SAMPLES = 300


def main() -> None:
    from apps.accounts.models import User
    from apps.accounts.tokens import tokens_for
    from apps.bookings.inventory import recount_hotel
    from apps.bookings.models import Booking
    from apps.hotels.models import RoomType
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    # 13 guests, taking the requests in turn: one guest's holds start 2 days apart or more (13 and the 120
    # days the dates cycle over have no common divisor), so none reaches the hotel's cap of unpaid rooms.
    guests = [User.objects.get_or_create(email=f"bench-booker-{n}@hbs.test")[0] for n in range(13)]
    # Holds left by an interrupted earlier run would crowd the dates this run needs.
    Booking.objects.filter(guest__in=guests, status__in=Booking.ACTIVE_STATUSES).update(status=Booking.Status.CANCELLED)
    recount_hotel(hotel)  # the update above bypasses the signals that keep the inventory
    clients = []
    for guest in guests:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(guest)['access']}")
        clients.append(client)
    room_types = list(RoomType.objects.filter(hotel=hotel).order_by("pk"))
    last_booked = max(
        Booking.objects.filter(hotel=hotel, status__in=Booking.ACTIVE_STATUSES).values_list("check_out", flat=True)
    )
    first_free = max(last_booked, hotel_today(hotel)) + timedelta(days=3)
    created: list[str] = []

    def book(index: int) -> None:
        check_in = first_free + timedelta(days=index % 120)
        response = clients[index % len(clients)].post(
            "/api/v1/bookings/",
            {
                "hotel": hotel.slug,
                "room_type": room_types[index % len(room_types)].pk,
                "check_in": check_in.isoformat(),
                "check_out": (check_in + timedelta(days=2)).isoformat(),
                "adults": 2,
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        assert response.status_code == 201, response.content
        created.append(response.json()["reference"])

    try:
        base = floor(clients[0])
        timed(10, book)
        figures = report("POST bookings (hold)", timed(SAMPLES, lambda index: book(index + 10)))
        print(f"booking p95 / floor p95 = {figures['p95'] / base['p95']:.2f}x (target p95 < 40 ms)")
    finally:
        Booking.objects.filter(reference__in=created).update(status=Booking.Status.CANCELLED)
        recount_hotel(hotel)


if __name__ == "__main__":
    main()
