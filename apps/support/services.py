"""Ticket writes: opening one, the thread (replies, internal notes, files), staff changes, and the SLA sweeps.

Status moves with the thread: a staff reply waits on the guest, a guest reply
waits on the hotel (and reopens a resolved ticket within the hotel's reopen
days). Files are checked before anything is written and removed again if the
transaction fails, so a refused message leaves nothing behind.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm
from apps.bookings.models import Booking
from apps.core.errors import InvalidState, PermissionDenied, ValidationFailed
from apps.hotels.models import Hotel
from apps.support.attachments import CheckedFile, check_attachments
from apps.support.lock_objects import lock_ticket
from apps.support.models import (
    BODY_LIMIT,
    LIVE_STATUSES,
    SUBJECT_LIMIT,
    Category,
    Priority,
    SupportSettings,
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketStatus,
    attachment_storage,
)
from apps.support.notifications import (
    notify_guest_of_reply,
    notify_hotel_of_breach,
    notify_hotel_of_message,
    notify_hotel_of_ticket,
)
from apps.support.selectors import CHANGE, REPLY, support_settings_for

logger = logging.getLogger("hbs.support")
DEFAULT_QUIET_DAYS = SupportSettings._meta.get_field("auto_close_days").get_default()


class _Unset:
    pass


UNSET: Any = _Unset()


def _one_of(values: list[str]) -> str:
    # The API's codes, as they are: the words around them are the reader's.
    return _("Choose one of: %(codes)s.") % {"codes": ", ".join(values)}


def _check_text(*, subject: str | None = None, body: str) -> None:
    fields: dict[str, list[str]] = {}
    if subject is not None:
        if not subject:
            fields["subject"] = [_("Say in a few words what it is about.")]
        elif len(subject) > SUBJECT_LIMIT:
            fields["subject"] = [_("A subject is at most %(limit)s characters.") % {"limit": SUBJECT_LIMIT}]
    if not body:
        fields["message" if subject is not None else "body"] = [_("Write a message.")]
    elif len(body) > BODY_LIMIT:
        fields["message" if subject is not None else "body"] = [
            _("A message is at most %(limit)s characters.") % {"limit": number_format(BODY_LIMIT, force_grouping=True)}
        ]
    if fields:
        raise ValidationFailed(_("Some fields are not valid."), fields=fields)


def _due_times(ticket: Ticket) -> None:
    """First-response and resolution due times from the priority and the hotel's terms, counted from the opening."""
    terms = support_settings_for(hotel=ticket.hotel)
    ticket.first_response_due_at = ticket.created_at + terms.first_response_within(ticket.priority)
    ticket.resolution_due_at = ticket.created_at + terms.resolution_within(ticket.priority)


def _next_due(ticket: Ticket) -> datetime | None:
    if ticket.status not in LIVE_STATUSES:
        return None
    return ticket.resolution_due_at if ticket.first_responded_at else ticket.first_response_due_at


def _store(message: TicketMessage, files: list[CheckedFile], stored: list[str]) -> None:
    storage = attachment_storage()
    for checked in files:
        checked.upload.seek(0)
        name = storage.save(f"tickets/{message.ticket_id}/{uuid.uuid4().hex}{checked.extension}", checked.upload)
        stored.append(name)
        TicketAttachment.objects.create(
            message=message, file=name, name=checked.name, content_type=checked.content_type, size=checked.size
        )


def _forget_files(stored: list[str]) -> None:
    storage = attachment_storage()
    for name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("an attachment of a failed message could not be removed", extra={"file": name})


def ticket_open(
    *,
    guest: User,
    hotel: Hotel,
    subject: str,
    category: str,
    message: str,
    priority: str = Priority.NORMAL,
    booking: Booking | None = None,
    files: list[Any] | None = None,
    now: datetime | None = None,
) -> Ticket:
    """A guest opens a ticket with a hotel, optionally about one of their own bookings there."""
    now = now or timezone.now()
    subject, message = (subject or "").strip(), (message or "").strip()
    _check_text(subject=subject, body=message)
    if category not in Category.values:
        raise ValidationFailed(fields={"category": [_one_of(Category.values)]})
    if priority not in Priority.values:
        raise ValidationFailed(fields={"priority": [_one_of(Priority.values)]})
    if booking is not None and (booking.guest_id != guest.pk or booking.hotel_id != hotel.pk):
        raise ValidationFailed(fields={"booking": [_("Not one of your bookings at this hotel.")]})
    checked = check_attachments(list(files or []))
    stored: list[str] = []
    try:
        with transaction.atomic():
            ticket = Ticket(
                hotel=hotel,
                guest=guest,
                booking=booking,
                subject=subject,
                category=category,
                priority=priority,
                created_at=now,
                last_message_at=now,
            )
            _due_times(ticket)
            ticket.due_at = _next_due(ticket)
            ticket.save(force_insert=True)
            first = TicketMessage.objects.create(
                ticket=ticket, author=guest, from_staff=False, body=message, created_at=now
            )
            _store(first, checked, stored)
            notify_hotel_of_ticket(ticket=ticket, message=first)
    except BaseException:
        _forget_files(stored)
        raise
    return ticket


def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    internal: bool = False,
    files: list[Any] | None = None,
    now: datetime | None = None,
) -> TicketMessage:
    """A message in the thread. Staff may write internal notes the guest never sees; each reply tells the other side."""
    now = now or timezone.now()
    body = (body or "").strip()
    is_guest = author.pk == ticket.guest_id
    if not is_guest and not user_has_perm(author, REPLY, ticket.hotel):
        raise PermissionDenied(_("Only the guest and the hotel's staff write in this ticket."))
    if internal and is_guest:
        raise PermissionDenied(_("Internal notes are for the hotel's staff."))
    _check_text(body=body)
    checked = check_attachments(list(files or []))
    stored: list[str] = []
    try:
        with transaction.atomic():
            ticket = lock_ticket(ticket.pk)
            changed = ["last_message_at", "updated_at"]
            if ticket.status == TicketStatus.CLOSED:
                raise InvalidState(_("This ticket is closed: please open a new one."))
            if is_guest:
                changed += _guest_wrote(ticket, now=now)
            elif not internal:
                changed += _staff_answered(ticket, now=now)
            message = TicketMessage.objects.create(
                ticket=ticket, author=author, from_staff=not is_guest, body=body, internal=internal, created_at=now
            )
            _store(message, checked, stored)
            ticket.last_message_at = now
            ticket.due_at = _next_due(ticket)
            ticket.save(update_fields=[*dict.fromkeys([*changed, "due_at"])])
            if is_guest:
                notify_hotel_of_message(ticket=ticket, message=message)
            elif not internal:
                notify_guest_of_reply(ticket=ticket, message=message)
    except BaseException:
        _forget_files(stored)
        raise
    return message


def _guest_wrote(ticket: Ticket, *, now: datetime) -> list[str]:
    if ticket.status == TicketStatus.RESOLVED:
        terms = support_settings_for(hotel=ticket.hotel)
        if ticket.resolved_at is None or now > ticket.resolved_at + timedelta(days=terms.reopen_days):
            raise InvalidState(
                _("This ticket was resolved more than %(days)s days ago: please open a new one.")
                % {"days": terms.reopen_days}
            )
        # Reopened: the hotel owes a resolution again, counted from now.
        ticket.status = TicketStatus.WAITING_ON_HOTEL
        ticket.resolved_at = None
        ticket.resolution_due_at = now + terms.resolution_within(ticket.priority)
        ticket.resolution_breached = False
        return ["status", "resolved_at", "resolution_due_at", "resolution_breached"]
    if ticket.status == TicketStatus.WAITING_ON_GUEST:
        ticket.status = TicketStatus.WAITING_ON_HOTEL
        return ["status"]
    return []


def _staff_answered(ticket: Ticket, *, now: datetime) -> list[str]:
    changed = []
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        changed.append("first_responded_at")
        if now > ticket.first_response_due_at and not ticket.first_response_breached:
            ticket.first_response_breached = True
            changed.append("first_response_breached")
    if ticket.status in (TicketStatus.OPEN, TicketStatus.WAITING_ON_HOTEL):
        ticket.status = TicketStatus.WAITING_ON_GUEST
        changed.append("status")
    return changed


def _set_status(ticket: Ticket, status: str, now: datetime) -> list[str]:
    if status not in TicketStatus.values:
        raise ValidationFailed(fields={"status": [_one_of(TicketStatus.values)]})
    if status == ticket.status:
        return []
    ticket.status = status
    ticket.resolved_at = (
        now if status == TicketStatus.RESOLVED else (ticket.resolved_at if status == TicketStatus.CLOSED else None)
    )
    ticket.closed_at = now if status == TicketStatus.CLOSED else None
    return ["status", "resolved_at", "closed_at"]


def ticket_update(
    *,
    ticket: Ticket,
    actor: User,
    status: Any = UNSET,
    priority: Any = UNSET,
    assignee: Any = UNSET,
    now: datetime | None = None,
) -> Ticket:
    """Staff with the change right at the hotel set the status, the priority (due times follow) or the assignee."""
    now = now or timezone.now()
    if not user_has_perm(actor, CHANGE, ticket.hotel):
        raise PermissionDenied(_("Only the hotel's staff change a ticket's status, priority or assignee."))
    if assignee is not UNSET and assignee is not None and not user_has_perm(assignee, CHANGE, ticket.hotel):
        raise ValidationFailed(fields={"assignee": [_("Tickets are assigned to the hotel's own staff.")]})
    if priority is not UNSET and priority not in Priority.values:
        raise ValidationFailed(fields={"priority": [_one_of(Priority.values)]})
    with transaction.atomic():
        ticket = lock_ticket(ticket.pk)
        changed: list[str] = []
        if status is not UNSET:
            changed += _set_status(ticket, status, now)
        if priority is not UNSET and priority != ticket.priority:
            ticket.priority = priority
            _due_times(ticket)
            ticket.first_response_breached = (ticket.first_responded_at or now) > ticket.first_response_due_at
            ticket.resolution_breached = (ticket.resolved_at or now) > ticket.resolution_due_at
            changed += [
                "priority",
                "first_response_due_at",
                "resolution_due_at",
                "first_response_breached",
                "resolution_breached",
            ]
        if assignee is not UNSET and (assignee.pk if assignee else None) != ticket.assignee_id:
            ticket.assignee = assignee
            changed.append("assignee")
        if changed:
            ticket.due_at = _next_due(ticket)
            ticket.save(update_fields=[*dict.fromkeys([*changed, "due_at", "updated_at"])])
    return ticket


# --- The periodic sweeps ------------------------------------------------------------------------------


def ticket_mark_breaches(*, now: datetime | None = None) -> int:
    """Live tickets past a due time get their breach marked (once), and the hotel is told."""
    now = now or timezone.now()
    late_first = Ticket.objects.filter(
        status__in=LIVE_STATUSES,
        first_responded_at__isnull=True,
        first_response_breached=False,
        first_response_due_at__lt=now,
    ).values_list("pk", flat=True)
    late_resolution = Ticket.objects.filter(
        status__in=LIVE_STATUSES, resolution_breached=False, resolution_due_at__lt=now
    ).values_list("pk", flat=True)
    marked = 0
    for ticket_id in sorted({*late_first, *late_resolution}):
        with transaction.atomic():
            ticket = lock_ticket(ticket_id)
            if ticket.status not in LIVE_STATUSES:
                continue
            breaches = []
            late_answer = ticket.first_responded_at is None and ticket.first_response_due_at < now
            if late_answer and not ticket.first_response_breached:
                ticket.first_response_breached = True
                breaches.append("first_response")
            if not ticket.resolution_breached and ticket.resolution_due_at < now:
                ticket.resolution_breached = True
                breaches.append("resolution")
            if breaches:
                ticket.save(update_fields=[f"{name}_breached" for name in breaches] + ["updated_at"])
                notify_hotel_of_breach(ticket=ticket, breaches=tuple(breaches))
                marked += 1
    return marked


def ticket_close_quiet(*, now: datetime | None = None) -> int:
    """Resolved tickets with no message for the hotel's quiet days (7 by default) close."""
    now = now or timezone.now()
    rows = list(
        Ticket.objects.filter(status=TicketStatus.RESOLVED, resolved_at__lt=now - timedelta(days=1)).values_list(
            "pk", "hotel_id", "resolved_at", "last_message_at"
        )
    )
    quiet_days = {
        terms.hotel_id: terms.auto_close_days
        for terms in SupportSettings.objects.filter(hotel_id__in={row[1] for row in rows})
    }
    closed = 0
    for ticket_id, hotel_id, resolved_at, last_message_at in rows:
        quiet = timedelta(days=quiet_days.get(hotel_id, DEFAULT_QUIET_DAYS))
        if now < max(resolved_at, last_message_at) + quiet:
            continue
        with transaction.atomic():
            ticket = lock_ticket(ticket_id)
            if (
                ticket.status != TicketStatus.RESOLVED
                or now < max(ticket.resolved_at or now, ticket.last_message_at) + quiet
            ):
                continue  # a guest wrote in the meantime
            ticket.status = TicketStatus.CLOSED
            ticket.closed_at = now
            ticket.save(update_fields=["status", "closed_at", "updated_at"])
            closed += 1
    return closed
