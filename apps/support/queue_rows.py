"""The staff queue's rows as HTML, written out in Python from plain values.

25 rows through the template engine, each with a dozen lookups, filters and model
instances behind them, cost more than the rest of the page; written here they cost
a fraction of a millisecond. Every value from the database passes through `escape`;
the ticket URL is reversed once and filled in per row. The template
(support/queue.html) keeps the table around them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape  # the standard library's: Django's lazy-aware wrapper costs more per cell
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from apps.support.models import Priority, TicketStatus

PLACEHOLDER = 987654321


def _person(first: str | None, last: str | None, email: str | None) -> str:
    """As User.get_full_name: the name, else the email."""
    return f"{first or ''} {last or ''}".strip() or (email or "")


class QueueWriter:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.ticket_url = reverse("support:staff-ticket", args=[PLACEHOLDER])
        self.statuses = {value: escape(str(label)) for value, label in TicketStatus.choices}
        self.priorities = {value: escape(str(label)) for value, label in Priority.choices}
        self.overdue = escape(gettext("overdue"))
        self.nobody = "—"
        self.due_format = get_format("SHORT_DATETIME_FORMAT")  # the reader's, looked up once a page

    def html(self, rows: Iterable[dict[str, Any]]) -> SafeString:
        parts = [self.row(row) for row in rows]
        if not parts:
            parts.append(f'<tr><td colspan="6">{escape(gettext("No ticket matches."))}</td></tr>')
        return mark_safe("".join(parts))

    def due(self, due_at: datetime | None, overdue: bool) -> str:
        if due_at is None:
            return self.nobody
        local = timezone.localtime(due_at)
        shown = f'<time datetime="{local.isoformat()}">{escape(date_format(local, self.due_format))}</time>'
        return f'{shown} <strong class="error">{self.overdue}</strong>' if overdue else shown

    def row(self, row: dict[str, Any]) -> str:
        pk = row["pk"]
        overdue = row["due_at"] is not None and row["due_at"] < self.now
        status, priority = row["status"], row["priority"]
        url = self.ticket_url.replace(str(PLACEHOLDER), str(pk))
        guest = _person(row["guest__first_name"], row["guest__last_name"], row["guest__email"])
        assignee = (
            _person(row["assignee__first_name"], row["assignee__last_name"], row["assignee__email"])
            if row["assignee_id"] is not None
            else ""
        )
        return (
            f'<tr class="{"overdue" if overdue else ""}" data-ticket="{pk}">'
            f"<td>{self.due(row['due_at'], overdue)}</td>"
            f'<td><a href="{url}">#{pk} {escape(row["subject"])}</a><br>'
            f'<small class="muted">{escape(row["hotel__name"])}</small></td>'
            f"<td>{escape(guest)}</td>"
            f'<td><span class="status ticket-{escape(status)}">{self.statuses.get(status, escape(status))}</span></td>'
            f'<td class="priority-{escape(priority)}">{self.priorities.get(priority, escape(priority))}</td>'
            f"<td>{escape(assignee) or self.nobody}</td></tr>"
        )
