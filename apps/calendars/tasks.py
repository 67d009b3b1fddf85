"""The channel import schedule: every channel with a feed URL is fetched every 15 minutes, each in its own task."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from apps.calendars.models import Channel
from apps.calendars.services import channel_sync, channels_sync_due


@task()
def sync_channel(channel_id: int) -> str:
    channel = Channel.objects.select_related("hotel", "room_type").filter(pk=channel_id).exclude(import_url="").first()
    if channel is None:
        return "gone"
    result = channel_sync(channel=channel)
    return result.error or "ok"


@cron("*/15 * * * *")  # channels poll each other's calendars about this often; a staff member can sync at once
@task()
def sync_channels() -> int:
    due = channels_sync_due()
    for channel_id in due:
        sync_channel.enqueue(channel_id)
    return len(due)
