"""Telling the other side of a ticket (email, after commit). Internal notes are never sent to anyone outside staff.

The hotel's side is the assignee when there is one, else the hotel's own
address, else every member of its staff who answers tickets there.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import ROLE_PERMISSIONS
from apps.accounts.services import roles_in_scope
from apps.core.emails import send_templated_email
from apps.support.models import Ticket, TicketMessage
from apps.support.selectors import REPLY


def hotel_side(ticket: Ticket) -> list[str]:
    if ticket.assignee is not None:
        return [ticket.assignee.email]
    if ticket.hotel.email:
        return [ticket.hotel.email]
    answering = [
        user_id
        for user_id, roles in roles_in_scope(scope=ticket.hotel).items()
        if any(REPLY in ROLE_PERMISSIONS[r] for r in roles)
    ]
    return list(User.objects.filter(pk__in=answering, is_active=True).values_list("email", flat=True))


def _staff_link(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("support:staff-ticket", args=[ticket.pk])


def _guest_link(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("support:ticket", args=[ticket.pk])


def _ticket(ticket_id: int) -> Ticket:
    return Ticket.objects.select_related("hotel", "guest", "assignee", "booking").get(pk=ticket_id)


def notify_hotel_of_ticket(*, ticket_id: int) -> None:
    ticket = _ticket(ticket_id)
    first = ticket.messages.order_by("created_at", "pk").first()
    to = hotel_side(ticket)
    if to:
        send_templated_email(
            to=to,
            subject=f"New ticket #{ticket.pk} ({ticket.get_priority_display()}): {ticket.subject}",
            template="ticket_new",
            context={"ticket": ticket, "message": first, "link": _staff_link(ticket)},
        )


def notify_hotel_of_message(*, message_id: int) -> None:
    message = TicketMessage.objects.select_related("ticket", "author").get(pk=message_id)
    ticket = _ticket(message.ticket_id)
    to = hotel_side(ticket)
    if to:
        send_templated_email(
            to=to,
            subject=f"Ticket #{ticket.pk}: {ticket.guest.get_short_name()} replied",
            template="ticket_guest_reply",
            context={"ticket": ticket, "message": message, "link": _staff_link(ticket)},
        )


def notify_guest_of_reply(*, message_id: int) -> None:
    message = TicketMessage.objects.select_related("ticket", "author").get(pk=message_id)
    if message.internal:  # never: the services send none, and this says so once more
        return
    ticket = _ticket(message.ticket_id)
    send_templated_email(
        to=[ticket.guest.email],
        subject=f"{ticket.hotel.name} answered: {ticket.subject}",
        template="ticket_staff_reply",
        context={"ticket": ticket, "message": message, "link": _guest_link(ticket)},
    )


BREACHES = {"first_response": "first response", "resolution": "resolution"}


def notify_hotel_of_breach(*, ticket_id: int, breaches: tuple[str, ...]) -> None:
    ticket = _ticket(ticket_id)
    to = hotel_side(ticket)
    if to:
        missed = " and ".join(BREACHES[name] for name in breaches)
        send_templated_email(
            to=to,
            subject=f"Overdue: ticket #{ticket.pk} missed its {missed} time",
            template="ticket_breach",
            context={"ticket": ticket, "missed": missed, "link": _staff_link(ticket)},
        )
