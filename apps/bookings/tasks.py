"""Periodic work of the booking engine."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.bookings.inventory import inventory_roll
from apps.bookings.services import booking_expire_holds


@cron("* * * * *")  # every minute; creates also release stale holds of their room type on the spot
@task()
def expire_holds() -> int:
    return booking_expire_holds()


@cron("7 * * * *")  # hourly, so each hotel rolls soon after its own midnight: past nights go, new ones come in
@task()
def roll_inventory() -> int:
    return inventory_roll()
