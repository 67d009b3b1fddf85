"""The refund worker: pays approved refunds out through the provider, retrying with back-off."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.refunds.services import refund_process, refund_retry_due


@task()
def process_refund(*, refund_id: int) -> str:
    return refund_process(refund_id=refund_id).status


@cron("* * * * *")  # every minute: retries that came due, and approved refunds whose task was lost
@task()
def retry_refunds() -> int:
    return refund_retry_due()
