"""Reads of the channel calendars: the nights a room type can no longer sell, and the staff's channels."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import scope_queryset
from apps.bookings.models import RoomTypeNight
from apps.calendars.models import Channel, ChannelStay
from apps.core.errors import NotFound
from apps.hotels.models import Hotel, RoomType
from apps.hotels.stays import HORIZON_MONTHS, add_months, hotel_today

VIEW = "calendars.view_channel"


def export_horizon(hotel: Hotel, *, now: datetime | None = None) -> tuple[date, date]:
    """From the hotel's today to as far ahead as it sells."""
    today = hotel_today(hotel, now=now)
    return today, add_months(today, HORIZON_MONTHS) + timedelta(days=31)


def unsellable_runs(*, room_type: RoomType, first: date, last: date) -> list[tuple[date, date]]:
    """The runs of nights `[start, end)` in `[first, last)` on which no room of the type is left to sell.

    Read from the booking engine's inventory (one row per room type and night, kept with every stay and
    block): a night is no longer sellable when its rooms are all sold or blocked, as availability says.
    """
    nights = (
        RoomTypeNight.objects.filter(hotel_id=room_type.hotel_id, room_type=room_type, night__gte=first, night__lt=last)
        .filter(rooms__lte=F("sold") + F("blocked"))
        .order_by("night")
        .values_list("night", flat=True)
    )
    runs: list[tuple[date, date]] = []
    for night in nights:
        if runs and runs[-1][1] == night:
            runs[-1] = (runs[-1][0], night + timedelta(days=1))
        else:
            runs.append((night, night + timedelta(days=1)))
    return runs


def channel_for_export(*, token: str) -> Channel:
    """The channel whose export secret this is; 404 for anything else (a rotated secret included)."""
    channel = Channel.objects.select_related("hotel", "room_type").filter(export_token=token).first() if token else None
    if channel is None:
        raise NotFound(_("There is no such calendar."))
    return channel


def staff_channels(*, user: Any, perm: str = VIEW) -> QuerySet[Channel]:
    channels = Channel.objects.select_related("hotel", "room_type").order_by("room_type__name", "name")
    return scope_queryset(user, perm, channels, scope_model=Hotel, path="hotel")


def staff_channel_get(*, user: Any, perm: str, channel_id: int) -> Channel:
    channel = staff_channels(user=user, perm=perm).filter(pk=channel_id).first() if 0 < channel_id < 2**63 else None
    if channel is None:
        raise NotFound(_("There is no channel with this id among your hotels."))
    return channel


def channel_conflicts(*, channels: QuerySet[Channel]) -> QuerySet[ChannelStay]:
    """Imported stays that no room could hold: nights sold here and on the channel."""
    return (
        ChannelStay.objects.filter(channel__in=channels, conflict=True)
        .select_related("channel", "channel__room_type")
        .order_by("start")
    )
