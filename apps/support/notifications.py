"""What the support app tells people, through the one notify service. Internal notes are never sent.

A staff reply tells the guest; the guest's new ticket or reply, and an SLA
breach, tell the hotel's side: the assignee when there is one, else the
hotel's staff who answer tickets there. Called inside the event's own
transaction; pushes and emails follow its commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification
from apps.notifications.services import notify, notify_staff
from apps.support.models import Priority, Ticket, TicketMessage
from apps.support.selectors import CHANGE, REPLY

BREACHES = ("first_response", "resolution")
# One whole title per set of missed times (the email says the same in its own words).
BREACH_TITLES = {
    ("first_response",): _("Overdue: ticket #{number} missed its first response time"),
    ("resolution",): _("Overdue: ticket #{number} missed its resolution time"),
    ("first_response", "resolution"): _("Overdue: ticket #{number} missed its first response and resolution times"),
}


def _ticket(ticket_id: int) -> Ticket:
    return Ticket.all_objects.select_related("hotel", "guest", "assignee", "booking").get(pk=ticket_id)


def _message_context(notification: Notification) -> Mapping[str, Any]:
    message = TicketMessage.objects.select_related("author").get(pk=notification.data["message"])
    return {"ticket": _ticket(message.ticket_id), "message": message}


def _breach_context(notification: Notification) -> Mapping[str, Any]:
    missed = set(notification.data["breaches"])
    return {
        "ticket": _ticket(notification.data["ticket"]),
        "first_response": "first_response" in missed,
        "resolution": "resolution" in missed,
    }


def _staff_kind(code: str, label: StrOrPromise, perm: str, template: str, context: Any) -> NotificationKind:
    return NotificationKind(
        code=code, label=label, audience=Audience.STAFF, perm=perm, email_context=context, template=template
    )


KINDS = [
    NotificationKind(
        code="ticket_reply",
        label=_("The hotel answered your question"),
        audience=Audience.GUEST,
        email_context=_message_context,
        template="ticket_staff_reply",
    ),
    _staff_kind("staff_ticket_new", _("A guest opened a ticket at your hotel"), REPLY, "ticket_new", _message_context),
    _staff_kind("staff_ticket_reply", _("A guest replied in a ticket"), REPLY, "ticket_guest_reply", _message_context),
    _staff_kind("staff_ticket_breach", _("A ticket missed its due time"), CHANGE, "ticket_breach", _breach_context),
]


def register_kinds() -> None:
    register(*KINDS)


def _tell_hotel(ticket: Ticket, *, kind: str, title: StrOrPromise, body: str, data: dict[str, Any]) -> None:
    """The title is lazy: the notify service writes it in each recipient's own language (the assignee's, or
    each of the hotel staff's), never in that of the guest whose request caused it."""
    link = reverse("support:staff-ticket", args=[ticket.pk])
    if ticket.assignee is not None:
        notify(user=ticket.assignee, kind=kind, title=title, body=body, link=link, hotel=ticket.hotel, data=data)
    else:
        notify_staff(hotel=ticket.hotel, kind=kind, title=title, body=body, link=link, data=data)


def notify_hotel_of_ticket(*, ticket: Ticket, message: TicketMessage) -> None:
    _tell_hotel(
        ticket,
        kind="staff_ticket_new",
        title=format_lazy(
            _("New ticket #{number} ({priority}): {subject}"),
            number=ticket.pk,
            priority=Priority(ticket.priority).label,
            subject=ticket.subject,
        ),
        body=message.body[:300],
        data={"ticket": ticket.pk, "message": message.pk},
    )


def notify_hotel_of_message(*, ticket: Ticket, message: TicketMessage) -> None:
    _tell_hotel(
        ticket,
        kind="staff_ticket_reply",
        title=format_lazy(
            _("Ticket #{number}: {guest} replied"), number=ticket.pk, guest=ticket.guest.get_short_name()
        ),
        body=message.body[:300],
        data={"ticket": ticket.pk, "message": message.pk},
    )


def notify_guest_of_reply(*, ticket: Ticket, message: TicketMessage) -> None:
    if message.internal:  # never: the services send none, and this says so once more
        return
    notify(
        user=ticket.guest,
        kind="ticket_reply",
        title=format_lazy(_("{hotel} answered: {subject}"), hotel=ticket.hotel.name, subject=ticket.subject),
        body=message.body[:300],
        link=reverse("support:ticket", args=[ticket.pk]),
        hotel=ticket.hotel,
        data={"ticket": ticket.pk, "message": message.pk},
    )


def notify_hotel_of_breach(*, ticket: Ticket, breaches: tuple[str, ...]) -> None:
    missed = tuple(name for name in BREACHES if name in breaches)
    _tell_hotel(
        ticket,
        kind="staff_ticket_breach",
        title=format_lazy(BREACH_TITLES[missed], number=ticket.pk),
        body=ticket.subject,
        data={"ticket": ticket.pk, "breaches": list(breaches)},
    )
