"""Channels: a booking channel (Airbnb, Booking.com, Vrbo) kept in step with one room type by iCal feeds.

Export: each channel has a secret feed of the room type's nights that can no
longer be sold. Import: the channel's own feed is fetched on a schedule and each
of its events holds nights of the type as a room block (apps.bookings), so
availability counts it like any other block; an event that no room could take
is kept as a conflict for the staff, never overbooked.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.bookings.models import RoomBlock
from apps.core.models import SoftDeleteModel, TimeStampedModel
from apps.hotels.models import Hotel, RoomType


def new_export_token() -> str:
    return secrets.token_urlsafe(32)


class Channel(SoftDeleteModel):
    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="channels")
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(max_length=80)
    import_url = models.URLField(max_length=500, blank=True)
    export_token = models.CharField(max_length=64, unique=True, default=new_export_token, editable=False)
    last_sync_at = models.DateTimeField(null=True, blank=True, help_text="When the import last ran, well or not.")
    last_error = models.TextField(blank=True, help_text="Why the last import failed; empty when it worked.")
    # The validators of the last feed fetched (conditional GET: an unchanged feed is not sent again).
    feed_etag = models.CharField(max_length=200, blank=True)
    feed_last_modified = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["hotel", "room_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["room_type", "name"], condition=Q(is_deleted=False), name="calendars_channel_name_per_type"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="calendars_channel_has_name"),
        ]
        indexes = [
            models.Index(fields=["last_sync_at"], condition=~Q(import_url=""), name="calendars_channel_to_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.room_type_id})"


class ChannelStay(TimeStampedModel):
    """One event of a channel's feed, by its UID: the block holding its nights, or a conflict."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="stays")
    uid = models.CharField(max_length=255)
    start = models.DateField(help_text="The event's first night.")
    end = models.DateField(help_text="The first night the event no longer takes.")
    block = models.OneToOneField(
        RoomBlock, on_delete=models.PROTECT, null=True, blank=True, related_name="channel_stay"
    )
    conflict = models.BooleanField(default=False, help_text="No room of the type was free: nights sold here too.")

    class Meta:
        ordering = ["channel", "start"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "uid"], name="calendars_stay_uid_once_per_channel"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="calendars_stay_end_after_start"),
            models.CheckConstraint(
                condition=~Q(conflict=True, block__isnull=False), name="calendars_stay_conflict_has_no_block"
            ),
        ]
        indexes = [
            models.Index(fields=["channel"], condition=Q(conflict=True), name="calendars_stay_conflicts"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.uid}"

    @property
    def nights(self) -> int:
        return (self.end - self.start).days
