"""What the channel calendars tell the hotel's staff: an imported stay that no room could take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from apps.calendars.models import Channel, ChannelStay
from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification


def _conflict_context(notification: Notification) -> Mapping[str, Any]:
    channel = Channel.all_objects.select_related("hotel", "room_type").get(pk=notification.data["channel"])
    stays = list(ChannelStay.objects.filter(pk__in=notification.data["stays"]).order_by("start"))
    return {"channel": channel, "stays": stays}


def register_kinds() -> None:
    register(
        NotificationKind(
            code="staff_channel_conflict",
            label=gettext_lazy("A booking channel sold nights already sold here"),
            audience=Audience.STAFF,
            perm="calendars.change_channel",
            email_context=_conflict_context,
            template="channel_conflict",
        )
    )
