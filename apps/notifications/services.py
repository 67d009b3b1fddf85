"""The one notify service: a row in the caller's transaction, then (after commit) a push and maybe an email.

`notify` tells one person, `notify_staff` the staff of a hotel who hold the
kind's permission there. Titles and bodies given as lazy strings (gettext_lazy,
format_lazy) are written in each recipient's own language; the row keeps that
text, and the email's subject is its title. Both must be called inside the event's own
transaction: a rolled-back event leaves no row, pushes nothing and sends
nothing. `push_hotel_event` sends a booking's change to the hotel's live
pages (the back office), also after commit. Everything that leaves the
transaction goes through apps.core.transactions.on_commit.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import users_with_perm_at
from apps.audit.registry import field_values
from apps.audit.services import audit_log_record, audit_log_record_many, current_actor, entity_label
from apps.core.emails import deliver_email, recipient_language, render_email
from apps.core.errors import ValidationFailed
from apps.core.transactions import on_commit
from apps.hotels.models import Hotel
from apps.notifications.kinds import Audience, NotificationKind, UnknownKind, get_kind
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.selectors import notification_item, wants_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger("hbs.notifications")

PUSH_MESSAGE = "notification.push"  # the consumer's handler: notification_push
HOTEL_EVENT_MESSAGE = "hotel.event"  # the consumer's handler: hotel_event
RETENTION = timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
PRUNE_BATCH = 5000


def user_group(user_id: int) -> str:
    """The channel-layer group of one person's sockets."""
    return f"notifications.user.{user_id}"


def hotel_group(hotel_id: int) -> str:
    """The channel-layer group of a hotel's staff sockets (booking events for the live pages)."""
    return f"notifications.hotel.{hotel_id}"


def _staff_kind(code: str) -> NotificationKind:
    kind = get_kind(code)
    if kind.audience != Audience.STAFF:
        raise ValueError(f"{code!r} is not a staff kind: notify() tells its one recipient.")
    return kind


# --- Telling people ----------------------------------------------------------------------------


def _written_for(text: StrOrPromise, user: User) -> str:
    """`text` as `user` reads it: a lazy string in their profile's language, a plain one as it is."""
    if isinstance(text, str):
        return text
    with translation.override(recipient_language(user.preferred_language)):
        return str(text)


def _row(
    *,
    user: User,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise,
    link: str,
    hotel: Hotel | None,
    data: dict[str, Any] | None,
    email: bool,
    created_at: datetime | None = None,
) -> Notification:
    """One recipient's notification, its text in their language (not saved)."""
    row = Notification(
        user=user,
        kind=kind,
        title=_written_for(title, user)[:200],
        body=_written_for(body, user),
        link=link,
        hotel=hotel,
        data=data or {},
        emailed=bool(user.email) and email,
    )
    if created_at is not None:
        row.created_at = created_at
    return row


def notify(
    *,
    user: User,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    link: str = "",
    hotel: Hotel | None = None,
    data: dict[str, Any] | None = None,
    email: bool | None = None,
) -> Notification:
    """Tells `user` of an event, in the caller's transaction: a row now; after commit a push to their
    sockets and, if their preference for `kind` says so (or `email` forces it), an email."""
    spec = get_kind(kind)
    wanted = email if email is not None else user.pk in wants_email(user_ids=[user.pk], kind=spec)
    notification = _row(user=user, kind=kind, title=title, body=body, link=link, hotel=hotel, data=data, email=wanted)
    notification.save()
    _after_commit([notification])
    return notification


def notify_staff(
    *,
    hotel: Hotel,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    link: str = "",
    data: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tells the staff of `hotel` who hold the kind's permission there (not the person who caused the event).

    A constant number of queries whatever the number of staff: recipients, their
    preferences, one insert of the rows and one of their audit lines.
    """
    spec = _staff_kind(kind)
    with transaction.atomic():
        actor_id = current_actor().get("id")
        found = users_with_perm_at(perm=spec.perm, obj=hotel).only("pk", "email", "preferred_language")
        recipients = list(found.exclude(pk=actor_id) if actor_id is not None else found)
        if not recipients:
            return []
        emailed = wants_email(user_ids=[user.pk for user in recipients], kind=spec)
        now = timezone.now()
        rows = Notification.objects.bulk_create(
            _row(
                user=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                hotel=hotel,
                data=data,
                email=user.pk in emailed,
                created_at=now,
            )
            for user in recipients
        )
        # bulk_create sends no signal: the audit lines the registry would have written, in one insert.
        audit_log_record_many(
            action="create",
            entity=entity_label(Notification),
            lines=[(row.pk, _created_changes(row)) for row in rows],
        )
        _after_commit(rows)
    return rows


def _created_changes(notification: Notification) -> dict[str, list[Any]]:
    values = field_values(notification)
    return {name: [None, value] for name, value in values.items() if value not in (None, "") and name != "updated_at"}


def _after_commit(notifications: list[Notification]) -> None:
    pushes = [(row.user_id, {"type": "notification", "notification": notification_item(row)}) for row in notifications]
    emails = [row.pk for row in notifications if row.emailed]

    def push() -> None:
        for user_id, message in pushes:
            push_to_user(user_id=user_id, message=message)

    on_commit(push)
    if emails:
        on_commit(lambda: [email_notification.enqueue(notification_id=pk) for pk in emails])


def push_to_user(*, user_id: int, message: dict[str, Any]) -> None:
    """Sends `message` to every open socket of the user, through the Redis channel layer (now)."""
    _group_send(user_group(user_id), {"type": PUSH_MESSAGE, "message": message})


class _Pusher:
    """One event loop per process, in a daemon thread, that sends pushes to the channel layer in order.

    async_to_sync from a request's or a worker's thread would start an event
    loop, and open Redis connections, for every push (tens of milliseconds).
    Here the connections stay open, the committed request only enqueues (it
    never waits on Redis, nor hangs while Redis is down), and one consumer
    sends in the order of the commits, so a hotel's live page sees a stay's
    events as they happened. Per process, never shared: a forked child starts
    its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[str, dict[str, Any]]] | None = None
        self._pid = 0

    def _start(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Queue[tuple[str, dict[str, Any]]]]:
        with self._lock:
            if self._loop is None or self._queue is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
                threading.Thread(target=loop.run_forever, name="hbs-push", daemon=True).start()
                asyncio.run_coroutine_threadsafe(self._consume(queue), loop)
                self._loop, self._queue, self._pid = loop, queue, os.getpid()
            return self._loop, self._queue

    async def _consume(self, queue: asyncio.Queue[tuple[str, dict[str, Any]]]) -> None:
        while True:
            group, event = await queue.get()
            try:
                layer = get_channel_layer()
                if layer is not None:
                    await asyncio.wait_for(layer.group_send(group, event), PUSH_TIMEOUT)
            except Exception as error:  # a push lost is logged; the next one is tried all the same
                logger.warning("push to the channel layer failed", extra={"group": group, "error": repr(error)})
            finally:
                queue.task_done()

    def send(self, group: str, event: dict[str, Any]) -> None:
        loop, queue = self._start()
        loop.call_soon_threadsafe(queue.put_nowait, (group, event))

    def drain(self, timeout: float) -> None:
        """Waits (at most `timeout`) until everything enqueued was sent."""
        if self._loop is None or self._queue is None or self._pid != os.getpid():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._queue.join(), self._loop).result(timeout=timeout)
        except TimeoutError:
            logger.warning("pushes still waiting at exit", extra={"waiting": self._queue.qsize()})


PUSH_TIMEOUT = 2.0  # seconds: for one send, and for a process that exits to send its last pushes
_pusher = _Pusher()
atexit.register(_pusher.drain, PUSH_TIMEOUT)


def _group_send(group: str, event: dict[str, Any]) -> None:
    _pusher.send(group, event)


@task()
def email_notification(*, notification_id: int) -> int:
    """The worker's side: renders the kind's email (`emails/<kind>.txt` and `.html`) and sends it."""
    notification = Notification.all_objects.select_related("user").get(pk=notification_id)
    spec = get_kind(notification.kind)
    link = f"{settings.SITE_URL}{notification.link}" if notification.link.startswith("/") else notification.link
    context: dict[str, Any] = {"notification": notification, "user": notification.user, "link": link}
    if spec.email_context is not None:
        context.update(spec.email_context(notification))
    language = recipient_language(getattr(notification.user, "preferred_language", ""))
    text, html = render_email(template=spec.email_template, context=context, language=language)
    return deliver_email(to=[notification.user.email], subject=notification.title, text=text, html=html)


# --- The hotel's live pages ------------------------------------------------------------------------


class BookingFacts(Protocol):
    """What a hotel event says of a booking (the bookings app's Booking answers it)."""

    pk: Any
    reference: str
    status: str
    check_in: date
    check_out: date
    adults: int
    children: int
    hotel_id: Any
    room_type_id: Any
    guest_id: Any


HOTEL_EVENTS = (
    "booking.created",
    "booking.confirmed",
    "booking.changed",
    "booking.cancelled",
    "booking.expired",
    "booking.checked_in",
    "booking.checked_out",
    "booking.no_show",
    "booking.room_moved",
)


def hotel_event_message(*, event: str, booking: BookingFacts, at: datetime) -> dict[str, Any]:
    """The documented shape of a hotel event (README, "Live pages")."""
    room = getattr(booking, "room", None)
    guest = getattr(booking, "guest", None)
    return {
        "type": "hotel_event",
        "event": event,
        "hotel": booking.hotel_id,
        "at": at.isoformat().replace("+00:00", "Z"),
        "booking": {
            "reference": booking.reference,
            "status": booking.status,
            "check_in": booking.check_in.isoformat(),
            "check_out": booking.check_out.isoformat(),
            "adults": booking.adults,
            "children": booking.children,
            "room_type": booking.room_type_id,
            "room": getattr(room, "number", None),
            "guest_name": guest.get_full_name() if guest is not None else "",
        },
    }


class BlockFacts(Protocol):
    """What a hotel event says of a room block (the bookings app's RoomBlock answers it)."""

    pk: Any
    hotel_id: Any
    room_id: Any
    start: date
    end: date
    reason: str


BLOCK_EVENTS = ("block.created", "block.removed")
BLOCKS_LISTED = 100  # a channel import may set thousands at once: the message lists the first ones and counts all


def push_block_event(*, event: str, blocks: list[BlockFacts]) -> None:
    """After commit, tells each hotel's staff sockets that rooms went out of order (or back): one message per
    hotel and call, however many blocks, so the live board reads itself once."""
    if event not in BLOCK_EVENTS:
        raise ValueError(f"Unknown block event {event!r}; known: {', '.join(BLOCK_EVENTS)}.")
    at = timezone.now().isoformat().replace("+00:00", "Z")
    by_hotel: dict[Any, list[BlockFacts]] = {}
    for block in blocks:
        by_hotel.setdefault(block.hotel_id, []).append(block)
    for hotel_id, hotel_blocks in by_hotel.items():
        message = {
            "type": "hotel_event",
            "event": event,
            "hotel": hotel_id,
            "at": at,
            "count": len(hotel_blocks),
            "blocks": [
                {
                    "id": block.pk,
                    "room_id": block.room_id,
                    "start": block.start.isoformat(),
                    "end": block.end.isoformat(),
                    "reason": block.reason,
                }
                for block in hotel_blocks[:BLOCKS_LISTED]
            ],
        }
        on_commit(partial(_group_send, hotel_group(hotel_id), {"type": HOTEL_EVENT_MESSAGE, "message": message}))


def push_hotel_event(*, event: str, booking: BookingFacts) -> None:
    """After commit, sends a booking's change to the sockets of its hotel's staff. The facts are read now
    (inside the transition), so the message says what was committed."""
    if event not in HOTEL_EVENTS:
        raise ValueError(f"Unknown hotel event {event!r}; known: {', '.join(HOTEL_EVENTS)}.")
    message = hotel_event_message(event=event, booking=booking, at=timezone.now())
    group = hotel_group(booking.hotel_id)
    on_commit(lambda: _group_send(group, {"type": HOTEL_EVENT_MESSAGE, "message": message}))


# --- Reading -----------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, now: datetime | None = None) -> Notification:
    """Marks one notification read (again: no change)."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """Marks every unread notification of `user` read; returns how many. `read_at` is not audited
    (see apps.py), so this update skips no audit line."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now or timezone.now(), updated_at=timezone.now()
    )


# --- Preferences ---------------------------------------------------------------------------------------


def preferences_update(*, user: User, email_by_kind: dict[str, bool]) -> None:
    """Sets email on or off for each kind given. Kinds that are always emailed cannot be turned off."""
    errors: dict[str, list[str]] = {}
    for code, wanted in email_by_kind.items():
        try:
            spec = get_kind(code)
        except UnknownKind:
            errors[code] = [_("There is no such kind of notification.")]
            continue
        if spec.always_email and not wanted:
            errors[code] = [_("%(kind)s: always emailed, it cannot be turned off.") % {"kind": spec.label}]
    if errors:
        raise ValidationFailed(_("Some preferences cannot be set."), fields=errors)
    with transaction.atomic():
        current = {row.kind: row for row in NotificationPreference.objects.select_for_update().filter(user=user)}
        for code, wanted in email_by_kind.items():
            row = current.get(code)
            if row is None:
                NotificationPreference.objects.create(user=user, kind=code, email=wanted)
            elif row.email != wanted:
                row.email = wanted
                row.save(update_fields=["email", "updated_at"])


# --- Retention -----------------------------------------------------------------------------------------


def notification_prune_read(*, older_than: timedelta = RETENTION, now: datetime | None = None) -> int:
    """Deletes for good the notifications read more than `older_than` ago (90 days by default).

    Retention is the point, so no backup snapshot is kept; each batch leaves one
    audit line saying how many went and up to when.
    """
    cutoff = (now or timezone.now()) - older_than
    table = Notification._meta.db_table
    removed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN "  # noqa: S608 (the table name is ours, the values are parameters)
                f"(SELECT id FROM {table} WHERE read_at < %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)",
                [cutoff, PRUNE_BATCH],
            )
            batch = cursor.rowcount
            if batch:
                audit_log_record(
                    action="prune",
                    entity=entity_label(Notification),
                    entity_id=None,
                    details={"deleted": batch, "read_before": cutoff},
                )
        removed += batch
        if batch < PRUNE_BATCH:
            return removed
