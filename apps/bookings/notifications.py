"""What the bookings app tells people: its notification kinds, and one call per transition.

`booking_notify` is called by each transition inside its own transaction:
the guest's notification (and email, per their preference), the hotel
staff's where the event concerns them, and the event on the hotel's live
pages, all after commit through the notify service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from apps.bookings.models import Booking
from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification
from apps.notifications.services import notify, notify_staff, push_hotel_event

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STAFF_PERM = "bookings.view_booking"


def _booking_context(notification: Notification) -> Mapping[str, Any]:
    booking = (
        Booking.all_objects.select_related("guest", "hotel", "room_type", "room")
        .prefetch_related("night_lines")
        .get(pk=notification.data["booking"])
    )
    return {"booking": booking}


def _guest_kind(code: str, label: StrOrPromise, **options: Any) -> NotificationKind:
    return NotificationKind(code=code, label=label, audience=Audience.GUEST, email_context=_booking_context, **options)


def _staff_kind(code: str, label: StrOrPromise) -> NotificationKind:
    return NotificationKind(
        code=code,
        label=label,
        audience=Audience.STAFF,
        perm=STAFF_PERM,
        email_by_default=False,  # the desk follows these on the bell and the live pages
        email_context=_booking_context,
    )


KINDS = [
    _guest_kind("booking_held", gettext_lazy("A room is on hold for you")),
    _guest_kind("booking_confirmed", gettext_lazy("Your booking is confirmed"), always_email=True),
    _guest_kind("booking_dates_changed", gettext_lazy("Your booking's dates changed")),
    _guest_kind("booking_cancelled", gettext_lazy("Your booking was cancelled")),
    _guest_kind("booking_expired", gettext_lazy("Your hold expired")),
    _guest_kind("booking_checked_out", gettext_lazy("Thank you for your stay")),
    _staff_kind("staff_new_booking", gettext_lazy("New booking at your hotel")),
    _staff_kind("staff_booking_cancelled", gettext_lazy("A booking at your hotel was cancelled")),
]


def register_kinds() -> None:
    register(*KINDS)


# event → (guest kind, title, body); titles are also the email subjects, in the guest's language.
GUEST_NOTICES = {
    "held": (
        "booking_held",
        gettext_lazy("Your room is on hold: {reference}"),
        gettext_lazy("Confirm it before the hold ends."),
    ),
    "confirmed": (
        "booking_confirmed",
        gettext_lazy("Booking confirmed: {reference}"),
        gettext_lazy("{hotel}, {check_in} to {check_out}."),
    ),
    "cancelled": (
        "booking_cancelled",
        gettext_lazy("Booking cancelled: {reference}"),
        gettext_lazy("{hotel}, {check_in} to {check_out}."),
    ),
    "dates_changed": (
        "booking_dates_changed",
        gettext_lazy("New dates for your booking {reference}"),
        gettext_lazy("Now {check_in} to {check_out} at {hotel}."),
    ),
    "expired": (
        "booking_expired",
        gettext_lazy("Your hold has expired: {reference}"),
        gettext_lazy("The room is free again; book again to stay."),
    ),
    "checked_out": (
        "booking_checked_out",
        gettext_lazy("Thank you for staying with us: {reference}"),
        gettext_lazy("We hope to welcome you back at {hotel}."),
    ),
}
# event → (staff kind, title, body): lazy, so each member of staff reads them in their own language.
STAFF_NOTICES = {
    "confirmed": (
        "staff_new_booking",
        gettext_lazy("New booking {reference}"),
        gettext_lazy("{guest}, {check_in} to {check_out}, {room_type}."),
    ),
    "cancelled": (
        "staff_booking_cancelled",
        gettext_lazy("Booking cancelled: {reference}"),
        gettext_lazy("{guest}, {check_in} to {check_out}, {room_type}."),
    ),
}
HOTEL_EVENTS = {
    "held": "booking.created",
    "confirmed": "booking.confirmed",
    "dates_changed": "booking.changed",
    "cancelled": "booking.cancelled",
    "expired": "booking.expired",
    "checked_in": "booking.checked_in",
    "checked_out": "booking.checked_out",
    "no_show": "booking.no_show",
    "room_moved": "booking.room_moved",
}


def _facts(booking: Booking) -> dict[str, str]:
    return {
        "reference": booking.reference,
        "hotel": booking.hotel.name,
        "check_in": booking.check_in.isoformat(),
        "check_out": booking.check_out.isoformat(),
        "guest": booking.guest.get_full_name() or booking.guest.email,
        "room_type": booking.room_type.name,
    }


_lazy_date = lazy(date_format, str)


def _dates_as_read(booking: Booking) -> dict[str, Any]:
    """The stay's dates written when a recipient reads them: in their language's date format."""
    return {"check_in": _lazy_date(booking.check_in), "check_out": _lazy_date(booking.check_out)}


def booking_notify(*, booking: Booking, event: str, was: str | None = None, live: bool = True) -> None:
    """Tells the guest, the hotel's staff and the live pages of `event` (inside the transition's transaction).

    Staff hear of a booking the hotel must honour: a confirmation, and the
    cancellation of a confirmed stay (`was`: the status before), not of holds.
    `live=False` leaves the live pages out, for the caller to tell them (`booking_push_live`) once the
    booking has its room.
    """
    facts = _facts(booking)
    link = f"/bookings/{booking.reference}/"
    data = {"booking": booking.pk}
    if event in GUEST_NOTICES:
        kind, title, body = GUEST_NOTICES[event]
        notify(
            user=booking.guest,
            kind=kind,
            title=format_lazy(title, **facts),
            body=format_lazy(body, **{**facts, **_dates_as_read(booking)}),
            link=link,
            hotel=booking.hotel,
            data=data,
        )
    if event in STAFF_NOTICES and (event != "cancelled" or was == Booking.Status.CONFIRMED):
        staff_kind, staff_title, staff_body = STAFF_NOTICES[event]
        notify_staff(
            hotel=booking.hotel,
            kind=staff_kind,
            title=format_lazy(staff_title, **facts),
            body=format_lazy(staff_body, **{**facts, **_dates_as_read(booking)}),
            link=link,
            data=data,
        )
    if live:
        booking_push_live(booking=booking, event=event)


def booking_push_live(*, booking: Booking, event: str) -> None:
    """The event on the hotel's live pages, sent after commit (what it says is read now)."""
    push_hotel_event(event=HOTEL_EVENTS[event], booking=booking)
