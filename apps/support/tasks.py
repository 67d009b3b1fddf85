"""Periodic work of support: SLA breaches and the closing of quiet resolved tickets."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.support.services import ticket_close_quiet, ticket_mark_breaches


@cron("*/5 * * * *")  # every 5 minutes: the shortest default due time is an hour
@task()
def mark_ticket_breaches() -> int:
    return ticket_mark_breaches()


@cron("41 * * * *")  # hourly: resolved tickets quiet for the hotel's days (7 by default) close
@task()
def close_quiet_tickets() -> int:
    return ticket_close_quiet()
