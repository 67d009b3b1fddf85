"""Demo data for local use: idempotent, refuses to run with DEBUG off unless --force."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.accounts.demo import seed_accounts
from apps.bookings.demo import grow_bookings, grow_rooms, seed_blocks, seed_inventory, seed_stays
from apps.cms.demo import seed_pages
from apps.hotels.demo import seed_catalogue
from apps.hotels.models import Hotel
from apps.offers.demo import seed_offers
from apps.reviews.demo import seed_reviews
from apps.support.demo import seed_tickets

# The one place the demo password exists. Never use these accounts in production.
DEMO_PASSWORD = "hbs-demo-2026"  # noqa: S105 (public by design, local demo only)


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo hotels, accounts and content. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--rooms", type=int, default=0, help="Grow the first hotel to this many rooms.")
        parser.add_argument(
            "--bookings", type=int, default=0, help="Grow the first hotel to this many past and future bookings."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a public password; it refuses to run with DEBUG off. "
                "Pass --force if you really mean it."
            )
        with transaction.atomic():
            users = seed_accounts(password=DEMO_PASSWORD)
            hotels = seed_catalogue(users=users)
            seed_offers(hotels=hotels)
            seed_inventory(hotels=hotels)
            seed_stays(users=users, hotels=hotels)
            seed_blocks(hotels=hotels)
            seed_pages(users=users)
            seed_reviews(users=users, hotels=hotels)
            seed_tickets(users=users, hotels=hotels)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(users)} accounts (password in seed_demo), {len(hotels)} hotels.")
        )
        if options["rooms"] or options["bookings"]:
            self._grow(rooms=options["rooms"], bookings=options["bookings"])

    def _grow(self, *, rooms: int, bookings: int) -> None:
        """Benchmark size for the first hotel: bulk inserts, seconds for 150,000 bookings."""
        hotel = Hotel.objects.order_by("pk").first()
        if hotel is None:
            raise CommandError("There is no hotel to grow yet.")
        started = time.perf_counter()
        added_rooms = grow_rooms(hotel=hotel, rooms=rooms) if rooms else 0
        added_bookings = grow_bookings(hotel=hotel, bookings=bookings) if bookings else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{hotel.name}: +{added_rooms} rooms, +{added_bookings} bookings "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
