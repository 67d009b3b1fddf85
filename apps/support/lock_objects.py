"""Ticket row locks: the ticket is the last row in the order (hotel → … → booking → ticket)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.support.models import Ticket


def lock_ticket(pk: int) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("hotel", "guest", "assignee")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise NotFound(_("There is no such ticket."))
    return ticket
