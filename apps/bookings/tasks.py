"""Periodic work of the booking engine."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.bookings.services import booking_expire_holds


@cron("* * * * *")  # every minute; creates also release stale holds of their room type on the spot
@task()
def expire_holds() -> int:
    return booking_expire_holds()
