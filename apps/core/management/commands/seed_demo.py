"""Demo data for local use: idempotent, refuses to run with DEBUG off unless --force."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

# The one place the demo password exists. Never use these accounts in production.
DEMO_PASSWORD = "hbs-demo-2026"  # noqa: S105 (public by design, local demo only)


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo hotels, accounts and content. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a public password; it refuses to run with DEBUG off. "
                "Pass --force if you really mean it."
            )
        from apps.accounts.demo import seed_accounts
        from apps.hotels.demo import seed_catalogue

        with transaction.atomic():
            users = seed_accounts(password=DEMO_PASSWORD)
            hotels = seed_catalogue(users=users)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(users)} accounts (password in seed_demo), {len(hotels)} hotels.")
        )
