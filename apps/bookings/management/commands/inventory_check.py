"""Recounts each hotel's inventory from its bookings, blocks and rooms and reports the nights that drifted."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.bookings.inventory import inventory_drift
from apps.bookings.services import inventory_repair
from apps.hotels.models import Hotel

SHOWN = 20  # drifted nights listed per hotel


class Command(BaseCommand):
    help = "Compare the inventory of every room type and night with a recount; --fix writes the recount (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Repair the drifted nights (an audit line per hotel).")
        parser.add_argument("--hotel", default=None, help="Only this hotel (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        hotels = Hotel.objects.order_by("pk")
        if options["hotel"]:
            hotels = hotels.filter(slug=options["hotel"])
        drifted = 0
        for hotel in hotels:
            drift = inventory_drift(hotel)
            if not drift:
                if options["verbosity"] >= 2:
                    self.stdout.write(f"{hotel.slug}: the inventory matches a recount")
                continue
            drifted += len(drift)
            self.stdout.write(f"{hotel.slug}: {len(drift)} night(s) differ from a recount")
            for line in drift[:SHOWN]:
                self.stdout.write(f"  {line}")
            if len(drift) > SHOWN:
                self.stdout.write(f"  … and {len(drift) - SHOWN} more")
            if options["fix"]:
                inventory_repair(hotel=hotel, drift=len(drift))
                self.stdout.write(f"{hotel.slug}: repaired")
        if not drifted:
            self.stdout.write("The inventory matches a recount.")
        elif not options["fix"]:
            self.stderr.write(f"{drifted} night(s) drifted; run with --fix to repair them.")
            sys.exit(1)
