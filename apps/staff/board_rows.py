"""The room board's rows as HTML, written out in Python.

300 rooms x 14 nights is 4,200 cells: through the template engine they took some 2 s to render,
written here they take a few milliseconds. Every value from the database passes through `escape`;
URLs are reversed once and filled in per stay. The template (staff/board.html) keeps the page
around them, the heads of the nights and the legend.
"""

from __future__ import annotations

from datetime import date
from html import escape  # the standard library's: Django's lazy-aware wrapper costs more per cell

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.staff.selectors import Board, BoardBar, BoardRow

PLACEHOLDER = "HBS-XXXXXX"
BLOCK_PLACEHOLDER = 987654321


class BoardWriter:
    def __init__(self, board: Board, *, can_move: bool, can_unblock: bool, csrf_token: str) -> None:
        self.board = board
        self.can_move = can_move
        self.can_unblock = can_unblock
        self.csrf = escape(csrf_token)
        self.detail_url = reverse("bookings:detail", args=[PLACEHOLDER])
        self.move_url = reverse("staff:move", args=[PLACEHOLDER])
        self.unblock_url = reverse("staff:block-delete", args=[BLOCK_PLACEHOLDER])
        self._days: dict[date, str] = {}
        # The words, translated once per board (the reader's language is active while it is written).
        self.out_of_service = escape(_("out of service"))
        self.no_rooms = escape(_("This hotel has no rooms yet."))
        self.block_title = _("Out of order %(start)s → %(end)s: %(reason)s")
        self.back_in_order = _("Back in order: room %(number)s from %(day)s")
        self.empty = [
            '<td class="night today"></td>' if night == board.today else '<td class="night"></td>'
            for night in board.nights
        ]

    def day(self, night: date) -> str:
        """'1 Dec' in the reader's language, formatted once per date (for every bar it is a cost of its own)."""
        label = self._days.get(night)
        if label is None:
            label = self._days[night] = date_format(night, "j N")
        return label

    def html(self) -> SafeString:
        width = len(self.board.nights) + 1
        parts: list[str] = []
        for group in self.board.groups:
            parts.append(
                f'<tbody><tr class="board-type"><th scope="rowgroup" colspan="{width}">'
                f"{escape(group.room_type_name)}</th></tr>"
            )
            parts.extend(self.row(row) for row in group.rows)
            parts.append("</tbody>")
        if not parts:
            parts.append(f"<tbody><tr><td>{self.no_rooms}</td></tr></tbody>")
        return mark_safe("".join(parts))

    def row(self, row: BoardRow) -> str:
        room = row.room
        number, state, label = escape(room.number), escape(room.housekeeping), escape(room.housekeeping_label)
        out_of_service = "" if room.in_service else f" <small>{self.out_of_service}</small>"
        head = (
            f'<tr data-room-id="{room.pk}" data-room="{number}"{"" if room.in_service else ' class="out-of-service"'}>'
            f'<th scope="row" class="board-room">{number} <span class="hk hk-{state}" title="{label}">{label}</span>'
            f"{out_of_service}</th>"
        )
        cells, index, count = [], 0, len(self.empty)
        for bar in row.bars:
            cells.extend(self.empty[index : bar.first])
            cells.append(self.bar(bar, room.number))
            index = bar.first + bar.span
        cells.extend(self.empty[index:count])
        return head + "".join(cells) + "</tr>"

    def bar(self, bar: BoardBar, room_number: str) -> str:
        """A stay or a block; `room_number` as stored (escaped here with the words around it)."""
        edges = (" starts-before" if bar.starts_before else "") + (" ends-after" if bar.ends_after else "")
        if bar.booking is not None:
            booking = bar.booking
            reference = escape(booking.reference)
            title = escape(
                f"{booking.reference} · {self.day(booking.check_in)} → {self.day(booking.check_out)} · "
                f"{booking.status_label}"
            )
            drag = (
                f' draggable="true" data-move-url="{self.move_url.replace(PLACEHOLDER, reference)}"'
                if self.can_move
                else ""
            )
            return (
                f'<td colspan="{bar.span}" class="bar bar-{escape(booking.status)}{edges}">'
                f'<a href="{self.detail_url.replace(PLACEHOLDER, reference)}" data-reference="{reference}"{drag} '
                f'title="{title}">{escape(booking.guest_name)}</a></td>'
            )
        block = bar.block
        if block is None:
            return ""
        reason = escape(block.reason)
        title = escape(
            self.block_title % {"start": self.day(block.start), "end": self.day(block.end), "reason": block.reason}
        )
        remove = ""
        if self.can_unblock:
            action = self.unblock_url.replace(str(BLOCK_PLACEHOLDER), str(block.pk))
            label = escape(self.back_in_order % {"number": room_number, "day": self.day(block.start)})
            remove = (
                f'<form method="post" action="{action}" class="inline">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                f'<button type="submit" class="bar-remove" aria-label="{label}">&times;</button></form>'
            )
        return (
            f'<td colspan="{bar.span}" class="bar bar-block{edges}" title="{title}"><span>{reason}</span>{remove}</td>'
        )
