"""The staff ticket queue with 10,000 tickets: p50/p95 in-process, against the /healthz floor.

Run: .venv/bin/python -m hbs.devenv bench bench/tickets.py
A hotel of its own gets 10,000 tickets (bulk-inserted: bench data, without audit
lines) in every status and priority, some overdue, some assigned to its desk
clerk; then the clerk's queue page (live tickets by due time), its filters, and the
API list. Target: queue p95 < 50 ms.
"""

from __future__ import annotations

import random
from datetime import timedelta

from common import floor, report, timed
from django.db import connection
from django.test import Client
from django.utils import timezone

TICKETS = 10_000
SAMPLES = 400
SLUG = "bench-tickets"


def busy_hotel():  # type: ignore[no-untyped-def]
    from apps.accounts.models import User
    from apps.accounts.roles import FRONT_DESK
    from apps.accounts.services import object_role_grant
    from apps.hotels.models import Hotel
    from apps.support.models import Ticket

    hotel = Hotel.objects.filter(slug=SLUG).first()
    if hotel is None:
        hotel = Hotel.objects.create(
            name="Bench Tickets", slug=SLUG, city="Lisbon", country="PT", time_zone="Europe/Lisbon", currency="EUR"
        )
    clerk, _ = User.objects.get_or_create(email="bench-desk@hbs.test", defaults={"first_name": "Bench"})
    object_role_grant(user=clerk, role=FRONT_DESK, scope=hotel)
    missing = TICKETS - Ticket.objects.filter(hotel=hotel).count()
    if missing > 0:
        rng = random.Random(2026)
        guests = User.objects.bulk_create(
            User(email=f"asker{n}-{timezone.now():%H%M%S%f}@bench.hbs.test", first_name="Bench", last_name="Guest")
            for n in range(500)
        )
        now = timezone.now()
        statuses = ["open"] * 3 + ["waiting_on_guest", "waiting_on_hotel"] * 2 + ["resolved"] * 2 + ["closed"] * 4
        rows = []
        for n in range(missing):
            status = rng.choice(statuses)
            opened = now - timedelta(hours=rng.randint(1, 24 * 60))
            first_due, resolution_due = opened + timedelta(hours=24), opened + timedelta(hours=72)
            live = status not in ("resolved", "closed")
            rows.append(
                Ticket(
                    hotel=hotel,
                    guest=rng.choice(guests),
                    subject=f"Question {n}",
                    category=rng.choice(["booking", "payment", "refund", "room", "other"]),
                    priority=rng.choice(["low", "normal", "normal", "high", "urgent"]),
                    status=status,
                    assignee=clerk if n % 4 == 0 else None,
                    created_at=opened,
                    first_response_due_at=first_due,
                    resolution_due_at=resolution_due,
                    due_at=(first_due if status == "open" else resolution_due) if live else None,
                    first_responded_at=None if status == "open" else opened + timedelta(hours=2),
                    last_message_at=opened + timedelta(hours=2),
                    resolved_at=opened + timedelta(hours=30) if status in ("resolved", "closed") else None,
                    closed_at=opened + timedelta(days=9) if status == "closed" else None,
                )
            )
        Ticket.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:  # fresh statistics, as after any bulk load (seed_demo does the same)
            cursor.execute("ANALYZE support_ticket")
    live = Ticket.objects.filter(hotel=hotel, status__in=["open", "waiting_on_guest", "waiting_on_hotel"]).count()
    overdue = Ticket.objects.filter(hotel=hotel, due_at__lt=timezone.now()).count()
    print(f"hotel {hotel.slug}: {Ticket.objects.filter(hotel=hotel).count()} tickets, {live} live, {overdue} overdue")
    return hotel, clerk


def main() -> None:
    from apps.accounts.tokens import tokens_for

    hotel, clerk = busy_hotel()
    client = Client(HTTP_HOST="127.0.0.1")
    floor(client)
    client.force_login(clerk)
    queue = "/staff/tickets/"
    assert client.get(queue).status_code == 200
    timed(50, lambda _: client.get(queue))  # warm up
    figures = report("GET staff queue", timed(SAMPLES, lambda _: client.get(queue)))
    report("GET queue, overdue", timed(SAMPLES, lambda _: client.get(queue, {"status": "live", "overdue": "on"})))
    report(
        "GET queue, mine (htmx)",
        timed(SAMPLES, lambda _: client.get(queue, {"assignee": "me"}, HTTP_HX_REQUEST="true")),
    )
    report("GET queue, page 5", timed(SAMPLES, lambda _: client.get(queue, {"page": "5"})))
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {tokens_for(clerk)['access']}")
    report("GET API tickets (live)", timed(SAMPLES, lambda _: api.get("/api/v1/tickets/", {"status": "live"})))
    verdict = "meets" if figures["p95"] < 50 else "misses"
    print(
        f"staff queue with {TICKETS:,} tickets: p95 {figures['p95']:.2f} ms {verdict} the 50 ms target ({hotel.slug})"
    )


if __name__ == "__main__":
    main()
