"""Ships the audit outbox to MongoDB: once (`--once`), or in a loop that backs off while MongoDB is down."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from apps.audit.relay import relay_outbox


class Command(BaseCommand):
    help = "Ship waiting audit lines and backups from the outbox to MongoDB."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Drain the backlog once and exit.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per insert (default: setting).")
        parser.add_argument("--interval", type=float, default=None, help="Seconds between runs in loop mode.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or settings.AUDIT_RELAY_INTERVAL_SECONDS
        pause = interval
        while True:
            result = relay_outbox(batch_size=options["batch_size"])
            line = f"shipped {result.shipped}, refused {result.failed}, pruned {result.pruned}"
            if result.unavailable:
                self.stderr.write(f"MongoDB unavailable ({result.errors[-1]}); rows wait. {line}")
            elif options["verbosity"] >= 1 and (options["once"] or result.shipped or result.failed):
                self.stdout.write(line)
            if options["once"]:
                return
            # Back off while MongoDB is down: double the pause each failed run, up to the cap.
            pause = min(pause * 2, settings.AUDIT_RELAY_MAX_BACKOFF_SECONDS) if result.unavailable else interval
            time.sleep(pause)
