"""The back office on a big hotel: dashboard, arrivals, the room board and the 365-night report.

Run: .venv/bin/python -m hbs.devenv bench bench/backoffice.py
(BENCH_ROOMS / BENCH_BOOKINGS change the size; default 300 rooms, 150,000 bookings.)
In-process through the whole Django stack (session login, middleware, the pages' selectors and
templates, PostgreSQL), against the /healthz floor of the same run. Targets: dashboard and arrivals
p95 < 50 ms; the board for 300 rooms x 14 nights p95 < 150 ms; the 365-night report p95 < 200 ms.
"""

from __future__ import annotations

from datetime import timedelta

from common import big_hotel, floor, report, timed
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SAMPLES = 200


def main() -> None:
    from apps.accounts.models import User
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    with connection.cursor() as cursor:
        # What autovacuum does some minutes after a bulk load: the visibility map that index-only scans use.
        for table in ("bookings_booking", "bookings_bookingnight", "hotels_room"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    today = hotel_today(hotel)
    manager = User.objects.get(email="manager@hbs.test")
    client = Client()
    client.force_login(manager)
    base = floor(client)
    pages = {
        "GET /staff/ (dashboard)": lambda index: f"/staff/?hotel={hotel.slug}",
        "GET arrivals": lambda index: f"/staff/hotels/{hotel.slug}/arrivals/",
        "GET room board (14 nights)": lambda index: (
            f"/staff/hotels/{hotel.slug}/board/?start={(today + timedelta(days=index % 120 - 30)).isoformat()}"
        ),
        "GET report (365 nights)": lambda index: (
            f"/api/v1/reports/occupancy/?hotel={hotel.slug}"
            f"&from={(today - timedelta(days=index % 60)).isoformat()}"
            f"&to={(today - timedelta(days=index % 60) + timedelta(days=364)).isoformat()}"
        ),
    }
    for name, url in pages.items():

        def get(index: int, url=url) -> None:  # type: ignore[no-untyped-def]
            response = client.get(url(index))
            assert response.status_code == 200, (response.status_code, response.content[:300])

        timed(10, get)  # warm up
        figures = report(name, timed(SAMPLES, get))
        print(f"{'':<28} p95 / floor p95 = {figures['p95'] / base['p95']:.1f}x")
    rooms = hotel.rooms.count()
    with CaptureQueriesContext(connection) as captured:
        client.get(pages["GET room board (14 nights)"](0))
    print(f"\nroom board: {rooms} rooms x 14 nights in {len(captured.captured_queries)} queries")
    with CaptureQueriesContext(connection) as captured:
        client.get(pages["GET /staff/ (dashboard)"](0))
    print(f"dashboard: {len(captured.captured_queries)} queries")
    explain(hotel, today)


def explain(hotel, today) -> None:  # type: ignore[no-untyped-def]
    from apps.reports.selectors import OCCUPANCY_SQL

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + OCCUPANCY_SQL,
            {"hotel": hotel.pk, "first": today, "last": today + timedelta(days=364)},
        )
        print("\nEXPLAIN ANALYZE of the 365-night report:")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
