"""Periodic work of reviews: the invite after check-out."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.reviews.services import review_send_invites


@cron("*/15 * * * *")  # every 15 minutes: stays checked out since, not yet invited (one invite per booking)
@task()
def send_review_invites() -> int:
    return review_send_invites()
