"""The refund worker's periodic sweep: retries that came due, and approved refunds whose task was lost."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.refunds.services import process_refund, refund_retry_due

__all__ = ["process_refund", "retry_refunds"]  # process_refund lives beside the services that enqueue it


@cron("* * * * *")  # every minute: retries that came due, and approved refunds whose task was lost
@task()
def retry_refunds() -> int:
    return refund_retry_due()
