"""What the audit costs: extra time per audited write (the outbox row), and relay throughput.

Run from the project root, with PostgreSQL and Redis reachable as for `make test`:

    DJANGO_SETTINGS_MODULE=hbs.settings.test .venv/bin/python bench/audit_overhead.py [--writes 2000] [--rows 20000]

It creates a throwaway database (`bench_audit_<pid>`) on the configured
PostgreSQL server and drops it at the end; nothing else is touched. The relay
is measured into mongomock, and also into a real MongoDB when MONGODB_URL
points at one (e.g. MONGODB_URL=mongodb://127.0.0.1:27017), in a throwaway
MongoDB database that is dropped afterwards. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# hbs.settings.test forces MONGODB_URL to mongomock: remember the caller's before Django reads it.
REAL_MONGODB_URL = os.environ.get("MONGODB_URL", "")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from apps.audit import registry  # noqa: E402
from apps.audit.models import OutboxEntry  # noqa: E402
from apps.audit.relay import relay_outbox  # noqa: E402
from apps.audit.services import AUDIT_LOGS  # noqa: E402
from apps.core import mongo  # noqa: E402

BENCH_DB = f"bench_audit_{os.getpid()}"


def per_write_ms(label: str, writes: int, write: Callable[[int], None]) -> float:
    """Median of five rounds, each `writes` transactions of one write; milliseconds per write."""
    rounds = []
    for round_no in range(5):
        started = time.perf_counter()
        for n in range(writes):
            with transaction.atomic():
                write(round_no * writes + n)
        rounds.append((time.perf_counter() - started) * 1000 / writes)
    median = statistics.median(rounds)
    print(f"  {label:<44} {median:8.3f} ms/write")
    return median


def measure_writes(writes: int) -> None:
    from tests.testapp.models import Widget

    print(f"Writes ({writes} transactions x 5 rounds, median):")

    def create(n: int) -> None:
        Widget.objects.create(code=f"C{n}")

    def update(n: int) -> None:
        widget = Widget.objects.get(code=f"C{n}")
        widget.code = f"U{n}"
        widget.save()

    plain_create = per_write_ms("create, not audited", writes, create)
    plain_update = per_write_ms("load + update, not audited", writes, update)
    Widget.all_objects.all().hard_delete()
    OutboxEntry.objects.all().delete()

    registry.register(Widget)
    try:
        audited_create = per_write_ms("create, audited (+1 outbox row)", writes, create)
        audited_update = per_write_ms("load + update, audited (+1 outbox row)", writes, update)
    finally:
        registry.unregister(Widget)
    print(
        f"  extra per audited create: {audited_create - plain_create:+.3f} ms "
        f"({(audited_create / plain_create - 1) * 100:+.0f}%)"
    )
    print(
        f"  extra per audited update: {audited_update - plain_update:+.3f} ms "
        f"({(audited_update / plain_update - 1) * 100:+.0f}%)"
    )
    Widget.all_objects.all().hard_delete()
    OutboxEntry.objects.all().delete()


def queue(rows: int) -> None:
    document = {
        "action": "update",
        "entity": "bookings.booking",
        "entity_id": "12345",
        "changes": {"status": ["held", "confirmed"], "total": ["0.00", "387.00"], "hold_expires_at": [None, None]},
        "actor": {"type": "user", "id": 42, "email": "desk@hbs.test"},
        "request_id": "0f8e6c5d4b3a29180716253443526170",
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
    }
    OutboxEntry.objects.bulk_create(
        (OutboxEntry(collection=AUDIT_LOGS, document=document) for _ in range(rows)), batch_size=5000
    )


def measure_relay(label: str, rows: int, batch_size: int) -> None:
    queue(rows)
    started = time.perf_counter()
    result = relay_outbox(batch_size=batch_size)
    elapsed = time.perf_counter() - started
    print(
        f"  {label:<44} {result.shipped:>7} rows in {elapsed:6.2f} s = {result.shipped / elapsed:10.0f} rows/s"
        f" ({result.batches} batches of {batch_size})"
    )
    OutboxEntry.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=settings.AUDIT_RELAY_BATCH_SIZE)
    options = parser.parse_args()

    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(
            f"PostgreSQL: {connection.settings_dict['HOST']}:{connection.settings_dict['PORT']} "
            f"(throwaway database {BENCH_DB})"
        )
        measure_writes(options.writes)

        print(f"Relay ({options.rows} queued audit lines):")
        import mongomock

        mongo.set_client(mongomock.MongoClient())
        measure_relay("into mongomock", options.rows, options.batch_size)

        if REAL_MONGODB_URL and not REAL_MONGODB_URL.startswith("mongomock://"):
            from pymongo import MongoClient

            client = MongoClient(REAL_MONGODB_URL, serverSelectionTimeoutMS=2000, tz_aware=True)
            settings.MONGODB_DB = BENCH_DB
            mongo.set_client(client)
            try:
                measure_relay(f"into MongoDB at {REAL_MONGODB_URL}", options.rows, options.batch_size)
            finally:
                client.drop_database(BENCH_DB)
                client.close()
        else:
            print("  into a real MongoDB: skipped (set MONGODB_URL=mongodb://host:port to measure it)")
    finally:
        mongo.set_client(None)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
