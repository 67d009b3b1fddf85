"""Background work of the audit app: the relay, on a short schedule (crontask) and the db_worker."""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.tasks import task

from apps.audit import backoff
from apps.audit.relay import relay_outbox


@cron(IntervalTrigger(seconds=settings.AUDIT_RELAY_INTERVAL_SECONDS))
@task()
def relay_outbox_task() -> dict[str, int | bool]:
    """Ships the outbox to MongoDB; skipped while the back-off after a MongoDB outage lasts."""
    if backoff.should_wait():
        return {"skipped": True, "shipped": 0, "failed": 0}
    result = relay_outbox()
    if result.unavailable:
        backoff.failed()
    else:
        backoff.succeeded()
    return {"skipped": False, "shipped": result.shipped, "failed": result.failed, "pruned": result.pruned}
