"""Periodic jobs of the CMS."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.cms.services import pages_publish_due


@cron("* * * * *")  # every minute: a scheduled page goes public within a minute of its publish_at
@task()
def publish_scheduled_pages() -> int:
    return pages_publish_due()
