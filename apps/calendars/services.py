"""Channel writes: add, change, remove, rotate the export secret, and import a channel's feed.

An import is all or nothing: the feed is fetched and read first (any fault is
the channel's `last_error` and changes nothing), then applied in one
transaction under the room type's lock, the lock every booking of that type
takes, so a stay sold here and a channel's stay never both get the last room.
Each event holds its nights as a room block, the feed's blocks made (and released)
together by the booking engine's bulk block services; an event no room could take
is a conflict told to the staff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.registry import field_values
from apps.audit.services import audit_log_record_many, entity_label
from apps.bookings.lock_objects import lock_room_types
from apps.bookings.models import Booking, RoomBlock
from apps.bookings.services import BlockWanted, room_blocks_create_many, room_blocks_delete_many
from apps.calendars import feeds
from apps.calendars.models import Channel, ChannelStay, new_export_token
from apps.core.changes import UNSET, Unset, given
from apps.core.errors import ApplicationError, Conflict, ValidationFailed
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.stays import hotel_today
from apps.notifications.services import notify_staff

logger = logging.getLogger("hbs.calendars")

CONFLICT_KIND = "staff_channel_conflict"


@dataclass
class SyncResult:
    blocked: int = 0
    released: int = 0
    unchanged: int = 0
    conflicts: list[ChannelStay] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""


def _check_fields(*, name: str | Unset, import_url: str | Unset) -> None:
    fields: dict[str, list[str]] = {}
    if name is not UNSET and not name.strip():
        fields["name"] = [_("Name the channel (e.g. Airbnb).")]
    if isinstance(import_url, str) and import_url:
        try:
            feeds.check_import_url(import_url)
        except feeds.UnsafeUrl as error:
            fields["import_url"] = [str(error)]
    if fields:
        raise ValidationFailed(_("This channel cannot be saved."), fields=fields)


def _save(channel: Channel, **kwargs: object) -> None:
    try:
        with transaction.atomic():
            channel.save(**kwargs)  # type: ignore[arg-type]
    except IntegrityError as error:
        raise Conflict(
            _("The room type already has a channel named %(name)s.") % {"name": channel.name},
            fields={"name": [_("Choose another name.")]},
        ) from error


def channel_create(
    *, hotel: Hotel, room_type: RoomType, name: str, import_url: str = "", created_by: User | None = None
) -> Channel:
    """A channel of one room type; its export feed works at once, its import on the next sync."""
    import_url = import_url.strip()
    _check_fields(name=name, import_url=import_url)
    if room_type.hotel_id != hotel.pk:
        raise ValidationFailed(
            _("This channel cannot be saved."), fields={"room_type": [_("Choose a room type of this hotel.")]}
        )
    channel = Channel(hotel=hotel, room_type=room_type, name=name.strip()[:80], import_url=import_url)
    channel.created_by = created_by
    _save(channel)
    return channel


def channel_update(*, channel: Channel, name: str | Unset = UNSET, import_url: str | Unset = UNSET) -> Channel:
    """A new name or import URL; a new URL forgets the last feed's validators so it is fetched in full."""
    if import_url is not UNSET:
        import_url = import_url.strip()
    _check_fields(name=name, import_url=import_url)
    changes = given(name=name.strip()[:80] if isinstance(name, str) else name, import_url=import_url)
    if "import_url" in changes and changes["import_url"] != channel.import_url:
        changes.update(feed_etag="", feed_last_modified="", last_error="")
    for attribute, value in changes.items():
        setattr(channel, attribute, value)
    if changes:
        _save(channel, update_fields=[*changes, "updated_at"])
    return channel


def channel_rotate_export(*, channel: Channel) -> Channel:
    """A new export secret: the old feed URL answers 404 from now on."""
    channel.export_token = new_export_token()
    _save(channel, update_fields=["export_token", "updated_at"])
    return channel


def channel_delete(*, channel: Channel) -> None:
    """The channel goes, and the nights its stays held are released."""
    with transaction.atomic():
        lock_room_types([channel.room_type_id])
        _release_many(list(ChannelStay.objects.filter(channel=channel).select_related("block")))
        channel.delete()


# --- Import ------------------------------------------------------------------------------------


def _release_many(stays: list[ChannelStay]) -> None:
    """The stays go and the nights their blocks held are released, in one pass."""
    room_blocks_delete_many(blocks=[stay.block for stay in stays if stay.block is not None])
    if stays:
        ChannelStay.objects.filter(pk__in=[stay.pk for stay in stays]).delete()


class _RoomPicker:
    """The type's rooms in service (lowest floor and number first) and the nights their stays and blocks
    take, read once per import; the block service still checks each room under the lock it holds."""

    def __init__(self, *, room_type: RoomType, first: date, last: date) -> None:
        self.rooms = list(Room.objects.filter(room_type=room_type, in_service=True).order_by("floor", "number"))
        self.taken: dict[int, list[tuple[date, date]]] = {room.pk: [] for room in self.rooms}
        stays = (
            Booking.objects.filter(room__in=self.rooms, status__in=Booking.ACTIVE_STATUSES)
            .filter(check_in__lt=last, check_out__gt=first)
            .values_list("room_id", "check_in", "check_out")
        )
        blocks = RoomBlock.objects.filter(room__in=self.rooms, start__lt=last, end__gt=first).values_list(
            "room_id", "start", "end"
        )
        for room_id, start, end in [*stays, *blocks]:
            self.taken[room_id].append((start, end))

    def free_room(self, start: date, end: date) -> Room | None:
        for room in self.rooms:
            if all(end <= taken_start or taken_end <= start for taken_start, taken_end in self.taken[room.pk]):
                return room
        return None

    def take(self, room: Room, start: date, end: date) -> None:
        self.taken[room.pk].append((start, end))


def _place_all(*, channel: Channel, stays: list[ChannelStay], today: date) -> None:
    """Holds each stay's nights from today on with a block on a room of the type free for all of them, all
    through one call of the block service; a stay no room could take (or the service refused) is a conflict."""
    if not stays:
        return
    picker = _RoomPicker(
        room_type=channel.room_type,
        first=min(max(stay.start, today) for stay in stays),
        last=max(stay.end for stay in stays),
    )
    wanted: list[tuple[ChannelStay, BlockWanted]] = []
    for stay in stays:
        start = max(stay.start, today)
        room = picker.free_room(start, stay.end)
        if room is None:
            stay.block, stay.conflict = None, True
            continue
        picker.take(room, start, stay.end)
        wanted.append((stay, BlockWanted(room=room, start=start, end=stay.end)))
    made = room_blocks_create_many(
        items=[item for _, item in wanted], reason=_("Sold on %(channel)s") % {"channel": channel.name}
    )
    for (stay, _item), block in zip(wanted, made, strict=True):
        stay.block, stay.conflict = block, block is None


def _insert_stays(stays: list[ChannelStay]) -> None:
    """New stays in one insert, with the audit lines the registry would have written, in one more."""
    if not stays:
        return
    rows = ChannelStay.objects.bulk_create(stays)
    audit_log_record_many(
        action="create",
        entity=entity_label(ChannelStay),
        lines=[
            (row.pk, {name: [None, value] for name, value in field_values(row).items() if value not in (None, "")})
            for row in rows
        ],
    )


def _apply(*, channel: Channel, events: list[feeds.FeedEvent], now: datetime) -> SyncResult:
    result = SyncResult()
    today = hotel_today(channel.hotel, now=now)
    with transaction.atomic():
        lock_room_types([channel.room_type_id])
        existing = {stay.uid: stay for stay in ChannelStay.objects.filter(channel=channel).select_related("block")}
        wanted = {event.uid: event for event in events}
        gone = [stay for uid, stay in existing.items() if uid not in wanted]
        result.released += len(gone)
        unheld: list[RoomBlock] = []  # blocks of stays that moved: released before the stays are placed again
        to_place: list[tuple[ChannelStay, bool]] = []  # with whether the stay was a conflict already
        for uid, event in wanted.items():
            found = existing.get(uid)
            if found is not None:
                stay = found
                held = stay.block is not None and not stay.block.is_deleted
                if stay.start == event.start and stay.end == event.end and (held or event.end <= today):
                    result.unchanged += 1
                    continue
                if event.end <= today:  # moved into the past: nothing left to hold
                    gone.append(stay)
                    result.released += 1
                    continue
                if held:
                    assert stay.block is not None
                    unheld.append(stay.block)
                    stay.block = None
                to_place.append((stay, stay.conflict))
                stay.start, stay.end = event.start, event.end
            elif event.end <= today:
                continue  # a stay over before today holds nothing
            else:
                to_place.append((ChannelStay(channel=channel, uid=uid, start=event.start, end=event.end), False))
        _release_many(gone)
        room_blocks_delete_many(blocks=unheld)
        _place_all(channel=channel, stays=[stay for stay, _was in to_place], today=today)
        new_conflicts: list[ChannelStay] = []
        new_stays: list[ChannelStay] = []
        for stay, was_conflict in to_place:
            if stay.block is not None:
                result.blocked += 1
            else:
                result.conflicts.append(stay)
                if not was_conflict:
                    new_conflicts.append(stay)
            if stay.pk is None:
                new_stays.append(stay)
            else:
                stay.save()
        _insert_stays(new_stays)
        channel.last_sync_at, channel.last_error = now, ""
        channel.save(update_fields=["last_sync_at", "last_error", "feed_etag", "feed_last_modified", "updated_at"])
        if new_conflicts:
            _tell_conflicts(channel=channel, stays=new_conflicts)
    return result


def _tell_conflicts(*, channel: Channel, stays: list[ChannelStay]) -> None:
    nights = ", ".join(f"{stay.start:%Y-%m-%d} → {stay.end:%Y-%m-%d}" for stay in stays[:10])
    notify_staff(
        hotel=channel.hotel,
        kind=CONFLICT_KIND,
        title=_("%(channel)s sold %(room_type)s on nights sold here too")
        % {"channel": channel.name, "room_type": channel.room_type.name},
        body=_("No room was free for these stays: %(nights)s. Move a stay or ask the channel to.") % {"nights": nights},
        link=reverse("calendars:staff-channel", args=[channel.pk]),
        data={"channel": channel.pk, "stays": [stay.pk for stay in stays]},
    )


def _record_error(*, channel: Channel, message: str, now: datetime) -> None:
    logger.warning("channel import failed", extra={"channel": channel.pk, "error": message})
    channel.last_sync_at, channel.last_error = now, message[:2000]
    channel.save(update_fields=["last_sync_at", "last_error", "updated_at"])


def channel_sync(*, channel: Channel, now: datetime | None = None, body: bytes | None = None) -> SyncResult:
    """Imports the channel's feed (fetched from its URL unless `body` is given): each live event holds its
    nights, events gone or cancelled release theirs; a bad feed is the channel's last error and changes nothing."""
    now = now or timezone.now()
    if body is None and not channel.import_url:
        raise ValidationFailed(
            _("This channel has no calendar to import."), fields={"import_url": [_("Give the channel's iCal URL.")]}
        )
    try:
        if body is None:
            fetched = feeds.fetch(channel.import_url, etag=channel.feed_etag, last_modified=channel.feed_last_modified)
            if fetched.body is None:
                channel.last_sync_at, channel.last_error = now, ""
                channel.save(update_fields=["last_sync_at", "last_error", "updated_at"])
                return SyncResult(not_modified=True)
            body = fetched.body
            channel.feed_etag, channel.feed_last_modified = fetched.etag[:200], fetched.last_modified[:100]
        events = feeds.parse_events(body, zone=channel.hotel.zone)
        return _apply(channel=channel, events=events, now=now)
    except feeds.FeedError as error:
        message = str(error)
    except ApplicationError as error:  # a rule of the booking engine refused a block: nothing was applied
        message = error.message
    channel.refresh_from_db(fields=["feed_etag", "feed_last_modified"])
    _record_error(channel=channel, message=message, now=now)
    return SyncResult(error=message)


def channels_sync_due() -> list[int]:
    """The channels with an import URL, for the periodic job (each is synced by its own task)."""
    return list(Channel.objects.exclude(import_url="").order_by("last_sync_at", "pk").values_list("pk", flat=True))
