"""Where a hold's time goes: POST /api/v1/bookings/ in-process, one client, on the dates the mixed load asks.

Run: .venv/bin/python -m hbs.devenv bench bench/hold.py
(HOLD_SAMPLES holds, default 300; HOLD_PROFILE=1 adds cProfile's top entries over all of them.)
Each hold is one request through the whole stack (JWT auth, idempotency, the service), for a random room
type of the big hotel and a random stay 1-400 days ahead of 1-5 nights, as bench/locustfile.py asks: most
nights are in the seeded timeline (about 80 % of rooms taken), the rest beyond it. Beside the request's
time it prints the queries a hold makes, how long the room type's lock is held (from the lock's statement
to the commit) and how many holds had to re-arrange other stays. The holds are cancelled afterwards and
the inventory recounted, so the run can be repeated.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import time
import uuid
from collections import Counter
from datetime import timedelta

from common import big_hotel, report
from django.db import connection, transaction
from rest_framework.test import APIClient

SAMPLES = int(os.environ.get("HOLD_SAMPLES", "300"))
PROFILE = os.environ.get("HOLD_PROFILE") == "1"
ARRANGE_MARK = "booking.status = 'checked_in' OR booking.room_pinned"  # PLACED_STAYS_SQL, read only to re-arrange


class Watch:
    """Each statement of the request, with when it started and ended; the room type's lock found by its SQL."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, float, str]] = []
        self.committed_at: float | None = None

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((started, time.perf_counter(), sql))
            if 'FROM "hotels_roomtype"' in sql and "FOR NO KEY UPDATE" in sql and connection.in_atomic_block:
                transaction.on_commit(self.commit_seen)

    def commit_seen(self) -> None:
        if self.committed_at is None:
            self.committed_at = time.perf_counter()

    def lock_ms(self) -> float | None:
        locked = next(
            (end for _, end, sql in self.statements if 'FROM "hotels_roomtype"' in sql and "FOR NO KEY UPDATE" in sql),
            None,
        )
        if locked is None or self.committed_at is None:
            return None
        return (self.committed_at - locked) * 1000


def main() -> None:
    from apps.accounts.models import User
    from apps.accounts.tokens import tokens_for
    from apps.bookings.inventory import recount_hotel
    from apps.bookings.models import Booking
    from apps.hotels.models import RoomType
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    today = hotel_today(hotel)
    rng = random.Random(17)
    guests = list(User.objects.filter(email__endswith="@bench.hbs.test").order_by("pk")[:50])
    clients = []
    for guest in guests:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(guest)['access']}")
        clients.append(client)
    room_types = list(RoomType.objects.filter(hotel=hotel).order_by("pk").values_list("pk", flat=True))
    created: list[str] = []
    durations: list[float] = []
    locks: list[float] = []
    queries: list[int] = []
    outcomes: Counter[str] = Counter()
    arranged = 0
    samples: dict[str, Watch] = {}
    profile = cProfile.Profile() if PROFILE else None

    def hold(index: int) -> None:
        nonlocal arranged
        check_in = today + timedelta(days=rng.randint(1, 400))
        body = {
            "hotel": hotel.slug,
            "room_type": rng.choice(room_types),
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=rng.randint(1, 5))).isoformat(),
            "adults": 1,
        }
        watch = Watch()
        started = time.perf_counter()
        with connection.execute_wrapper(watch):
            if profile is not None:
                profile.enable()
            response = clients[index % len(clients)].post(
                "/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
            )
            if profile is not None:
                profile.disable()
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (201, 409), response.content
        outcome = "held" if response.status_code == 201 else response.json()["error"]["code"]
        outcomes[outcome] += 1
        if response.status_code == 201:
            created.append(response.json()["reference"])
        queries.append(len(watch.statements))
        if (lock := watch.lock_ms()) is not None:
            locks.append(lock)
        moved = any(ARRANGE_MARK in sql for _, _, sql in watch.statements)
        arranged += moved
        samples.setdefault(("re-arranged " if moved else "") + outcome, watch)

    try:
        for index in range(20):  # warm up the process's connections and caches
            hold(index)
        durations.clear(), locks.clear(), queries.clear(), outcomes.clear(), samples.clear()
        arranged = 0
        for index in range(SAMPLES):
            hold(index)
        print()
        report("POST bookings (hold)", durations)
        report("room type lock held", locks)
        print(f"queries a hold: min {min(queries)}, median {sorted(queries)[len(queries) // 2]}, max {max(queries)}")
        print(f"outcomes: {dict(outcomes)}; re-arranged other stays: {arranged} of {SAMPLES}")
        for label, watch in samples.items():
            print(f"\n-- one hold, {label}: {len(watch.statements)} queries, lock held {watch.lock_ms() or 0:.1f} ms")
            first = watch.statements[0][0]
            for started, ended, sql in watch.statements:
                statement = " ".join(sql.split())[:110]
                print(f"  +{(started - first) * 1000:7.2f} ms {(ended - started) * 1000:6.2f} ms  {statement}")
        if profile is not None:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(45)
            stats.print_callees("booking_create")
            stats.print_callees("bookings/apis.py.*post")
            print(out.getvalue())
    finally:
        Booking.objects.filter(reference__in=created).update(status=Booking.Status.CANCELLED)
        recount_hotel(hotel)  # the update above bypasses the signals that keep the inventory


if __name__ == "__main__":
    main()
