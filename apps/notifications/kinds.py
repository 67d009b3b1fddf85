"""The registry of notification kinds: each app declares the kinds it sends, in its own module.

A kind is a code ("booking_confirmed"), who receives it (a guest, or the staff
of a hotel holding a permission there), its label on the preferences page,
whether it is emailed by default (or always: confirmations and receipts), and
how its email gets its context. The app that owns the event declares it and
registers it from its AppConfig.ready():

    register(NotificationKind(code="ticket_reply", label="A reply to your ticket", audience=GUEST))

Why a registry and not one central enum: the notifications app sits below the
domains that send (bookings, payments, refunds, reviews, support), so it must
not know their words; an app adds a kind without touching this app, without a
migration (the code is a plain column checked against the registry by
`notify`), and keeps its wording and templates beside its events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from apps.notifications.models import Notification


class Audience(StrEnum):
    GUEST = "guest"  # the person the event is about (the booking's guest)
    STAFF = "staff"  # the hotel's staff holding `perm` there


EmailContext = Callable[["Notification"], Mapping[str, Any]]


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: StrOrPromise
    audience: Audience = Audience.GUEST
    email_by_default: bool = True
    # Booking confirmations and receipts: sent whatever the preference says.
    always_email: bool = False
    # Staff kinds: the permission at the hotel that makes someone a recipient.
    perm: str = ""
    # Extra context of the email template, read by the worker from the notification's `data`.
    email_context: EmailContext | None = None
    # `emails/<code>.txt` and `.html` unless named otherwise.
    template: str = ""

    @property
    def email_template(self) -> str:
        return self.template or self.code

    def __post_init__(self) -> None:
        if self.audience == Audience.STAFF and not self.perm:
            raise ValueError(f"Staff kind {self.code!r} needs the permission that makes a recipient.")


class UnknownKind(ValueError):
    pass


_kinds: dict[str, NotificationKind] = {}


def register(*kinds: NotificationKind) -> None:
    """Declares kinds; declaring one again (a reload) replaces it."""
    for kind in kinds:
        _kinds[kind.code] = kind


def get_kind(code: str) -> NotificationKind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(f"No notification kind {code!r} is registered; known: {', '.join(sorted(_kinds))}.") from None


def all_kinds() -> list[NotificationKind]:
    """Every registered kind, guests' first, then by label."""
    return sorted(_kinds.values(), key=lambda kind: (kind.audience != Audience.GUEST, kind.label))
