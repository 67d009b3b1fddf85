"""Periodic jobs of the notifications app."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.notifications.services import notification_prune_read


@cron("41 3 * * *")  # every night at 03:41 UTC
@task()
def prune_read_notifications() -> int:
    """Read notifications older than the retention period (90 days) go."""
    return notification_prune_read()
