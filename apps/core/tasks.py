"""Background work of the core app, on Django's tasks framework (django-tasks-db backend)."""

from __future__ import annotations

from datetime import timedelta

from crontask import cron
from django.tasks import task
from django.utils import timezone


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> int:
    """Sends one email; used by notifications so no request waits on SMTP."""
    from apps.core.emails import deliver_email

    return deliver_email(to=to, subject=subject, text=text, html=html)


@cron("17 3 * * *")  # every night at 03:17 UTC
@task()
def prune_finished_tasks(*, keep_days: int = 14) -> int:
    """Removes task results older than `keep_days`, so the queue table stays small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@cron("27 3 * * *")
@task()
def prune_idempotency_keys() -> int:
    """Keys are honoured for a day (apps.core.idempotency.KEEP_FOR); older rows go."""
    from apps.core.idempotency import KEEP_FOR
    from apps.core.models import IdempotencyKey

    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted


@cron("*/10 * * * *")
@task()
def prune_rate_limit_counters() -> int:
    """The PostgreSQL fallback counters of the rate limiter are only needed until their window ends."""
    from apps.core.ratelimit import prune_counters

    return prune_counters()
