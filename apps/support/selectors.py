"""Reads of tickets, always scoped: a guest sees their own, staff their hotels'; internal notes only to staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import effective_permissions, user_has_perm
from apps.core.errors import NotFound
from apps.hotels.models import Hotel
from apps.support.models import LIVE_STATUSES, SupportSettings, Ticket, TicketAttachment, TicketMessage

VIEW = "support.view_ticket"
CHANGE = "support.change_ticket"
REPLY = "support.add_ticketmessage"


QUEUE_FIELDS = (
    "hotel", "guest", "assignee", "subject", "category", "priority", "status", "due_at",
    "first_response_breached", "resolution_breached", "last_message_at",
    "hotel__name", "guest__first_name", "guest__last_name", "guest__email",
    "assignee__first_name", "assignee__last_name", "assignee__email",
)  # fmt: skip


def _valid_id(pk: int) -> bool:
    return 0 < pk < 2**63


def support_settings_for(*, hotel: Hotel) -> SupportSettings:
    """The hotel's support terms, or the defaults (an unsaved row) when it has set none."""
    return SupportSettings.objects.filter(hotel=hotel).first() or SupportSettings(hotel=hotel)


def staff_ticket_hotel_ids(*, user: Any) -> set[int] | None:
    """The hotels whose tickets the user works on; None: every hotel."""
    permissions = effective_permissions(user)
    if permissions.has(VIEW):
        return None
    return {int(pk) for pk in permissions.object_ids_with(VIEW, "hotels.hotel")}


def sees_as_staff(*, user: Any, ticket: Ticket) -> bool:
    """Staff of the ticket's hotel see everything, internal notes included."""
    return user_has_perm(user, VIEW, ticket.hotel)


@dataclass(frozen=True)
class TicketFilters:
    hotel: str | None = None  # slug
    status: str | None = None  # one status, or "live" for open and waiting ones
    priority: str | None = None
    assignee: str | None = None  # "me", "none", or a user id
    overdue: bool = False


def _base() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("hotel", "guest", "assignee", "booking")


def ticket_list_for_user(
    *, user: Any, filters: TicketFilters | None = None, staff_only: bool = False, now: datetime | None = None
) -> QuerySet[Ticket]:
    """The user's own tickets and those of the hotels where they work on tickets; newest activity first."""
    hotel_ids = staff_ticket_hotel_ids(user=user)
    if hotel_ids is None:
        tickets = _base()
    else:
        scope = Q(hotel_id__in=hotel_ids)
        if not staff_only:
            scope |= Q(guest=user)
        tickets = _base().filter(scope)
    filters = filters or TicketFilters()
    if filters.hotel:
        tickets = tickets.filter(hotel__slug=filters.hotel)
    if filters.status == "live":
        tickets = tickets.filter(status__in=LIVE_STATUSES)
    elif filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee and filters.assignee.isdigit() and _valid_id(int(filters.assignee)):
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        tickets = tickets.filter(status__in=LIVE_STATUSES, due_at__lt=now or timezone.now())
    return tickets.order_by("-last_message_at", "-pk")


def ticket_get_for_user(*, user: Any, ticket_id: int) -> Ticket:
    """404 unless it is the user's own ticket or one of their hotels'."""
    ticket = ticket_list_for_user(user=user).filter(pk=ticket_id).first() if _valid_id(ticket_id) else None
    if ticket is None:
        raise NotFound(_("There is no such ticket."))
    return ticket


def staff_queue(*, user: Any, filters: TicketFilters, now: datetime | None = None) -> QuerySet[Ticket]:
    """The staff queue: their hotels' tickets, the one due first on top (no due time last)."""
    tickets = ticket_list_for_user(user=user, filters=filters, staff_only=True, now=now)
    # The queue's columns only: fewer joins to plan and narrower rows to build, 50 at a time.
    return (
        tickets.select_related(None)
        .select_related("hotel", "guest", "assignee")
        .only(*QUEUE_FIELDS)
        .order_by("due_at", "pk")  # PostgreSQL puts the empty due times (resolved, closed) last
    )


# What one line of the staff queue shows, as plain values (no model instance per row).
QUEUE_VALUES = (
    "pk", "subject", "status", "priority", "due_at", "hotel__name",
    "guest__first_name", "guest__last_name", "guest__email",
    "assignee_id", "assignee__first_name", "assignee__last_name", "assignee__email",
)  # fmt: skip


def staff_queue_rows(
    *, user: Any, filters: TicketFilters, start: int, count: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    """`count` lines of the staff queue from `start`, as plain values in one query (the same order)."""
    return list(staff_queue(user=user, filters=filters, now=now).values(*QUEUE_VALUES)[start : start + count])


def ticket_messages_for_user(*, user: Any, ticket: Ticket) -> QuerySet[TicketMessage]:
    """The thread as the user may see it: staff everything, the guest never an internal note."""
    messages = (
        TicketMessage.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    if not sees_as_staff(user=user, ticket=ticket):
        messages = messages.filter(internal=False)
    return messages


def attachment_get_for_user(*, user: Any, attachment_id: int) -> TicketAttachment:
    """The file if the user may see its message: 404 for anyone else, and for a guest on an internal note."""
    attachment = (
        TicketAttachment.objects.select_related("message", "message__ticket", "message__ticket__hotel")
        .filter(pk=attachment_id)
        .first()
        if _valid_id(attachment_id)
        else None
    )
    if attachment is None:
        raise NotFound(_("There is no such file."))
    ticket = attachment.message.ticket
    visible = ticket_list_for_user(user=user).filter(pk=ticket.pk).exists()
    if not visible or (attachment.message.internal and not sees_as_staff(user=user, ticket=ticket)):
        raise NotFound(_("There is no such file."))
    return attachment
