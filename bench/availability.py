"""Availability search on a big hotel: p50/p95 against the /healthz floor, in one run.

Run: .venv/bin/python -m hbs.devenv bench bench/availability.py
(BENCH_ROOMS / BENCH_BOOKINGS change the size; default 300 rooms, 150,000 bookings.)
Each request asks different dates (no two alike), through the whole Django stack
in-process: middleware, DRF, the selector, PostgreSQL. Targets: p95 < 20 ms and
no more than 3x the floor.
"""

from __future__ import annotations

from datetime import timedelta

from common import big_hotel, floor, report, serve, timed
from django.db import connection
from django.test import Client

SAMPLES = 400


def main() -> None:
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    today = hotel_today(hotel)
    for label, (client, stop) in (("in-process", (Client(), lambda: None)), ("over HTTP (uvicorn)", serve())):
        print(f"\n-- {label}")
        try:
            measure(client, hotel, today)
        finally:
            stop()
    explain(hotel, today)


def measure(client, hotel, today) -> None:  # type: ignore[no-untyped-def]
    def search(index: int) -> None:
        check_in = today + timedelta(days=1 + index % 300)
        nights = 1 + index % 5
        response = client.get(
            "/api/v1/availability/",
            {"hotel": hotel.slug, "check_in": check_in, "check_out": check_in + timedelta(days=nights), "adults": 2},
        )
        assert response.status_code == 200, response.content

    base = floor(client)
    timed(30, search)  # warm up connections and caches of the process
    figures = report("GET availability (300 days)", timed(SAMPLES, search))
    print(f"availability p95 / floor p95 = {figures['p95'] / base['p95']:.2f}x (target <= 3x, p95 < 20 ms)")


def explain(hotel, today) -> None:  # type: ignore[no-untyped-def]
    from django.test.utils import CaptureQueriesContext

    from apps.bookings.selectors import rooms_left_by_type

    check_in = today + timedelta(days=30)
    with CaptureQueriesContext(connection) as captured:
        rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_in + timedelta(days=3))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + captured.captured_queries[-1]["sql"])
        print("\nEXPLAIN ANALYZE of the rooms-left query:")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
