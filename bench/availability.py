"""Availability search on a big hotel, in one run: the inventory query alone, the API in-process and over
HTTP, each beside the /healthz floor.

Run: .venv/bin/python -m hbs.devenv bench bench/availability.py
(BENCH_ROOMS / BENCH_BOOKINGS change the size; default 300 rooms, 150,000 bookings.)
Each request asks different dates (no two alike), through the whole Django stack:
middleware, DRF, the selector, PostgreSQL. Targets (issue 16): the API's p95 at most
3x the query alone's; over HTTP, p95 <= 10 ms.
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
    query = query_alone(hotel, today)
    for label, (client, stop) in (("in-process", (Client(), lambda: None)), ("over HTTP (uvicorn)", serve())):
        print(f"\n-- {label}")
        try:
            measure(client, hotel, today, query)
        finally:
            stop()
    explain(hotel, today)


def stay(today, index: int):  # type: ignore[no-untyped-def]
    check_in = today + timedelta(days=1 + index % 300)
    return check_in, check_in + timedelta(days=1 + index % 5)


def query_alone(hotel, today) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The rooms-left query of the inventory on its own (one round trip to PostgreSQL)."""
    from apps.bookings.selectors import rooms_left_by_type

    def ask(index: int) -> None:
        check_in, check_out = stay(today, index)
        rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)

    timed(30, ask)
    print("\n-- the query alone")
    return report("rooms left (inventory)", timed(SAMPLES, ask))


def measure(client, hotel, today, query: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    def search(index: int) -> None:
        check_in, check_out = stay(today, index)
        response = client.get(
            "/api/v1/availability/",
            {"hotel": hotel.slug, "check_in": check_in, "check_out": check_out, "adults": 2},
        )
        assert response.status_code == 200, response.content

    base = floor(client)
    timed(30, search)  # warm up connections and caches of the process
    figures = report("GET availability (300 days)", timed(SAMPLES, search))
    print(f"availability p95 / floor p95 = {figures['p95'] / base['p95']:.2f}x")
    print(f"availability p95 / query-alone p95 = {figures['p95'] / query['p95']:.2f}x (target <= 3x)")
    print(f"availability p95 = {figures['p95']:.2f} ms (target over HTTP <= 10 ms)")


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
