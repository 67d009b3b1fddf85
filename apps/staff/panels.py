"""What the back office adds to pages of the apps below it (apps.core.panels)."""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_has_perm
from apps.bookings.models import Booking
from apps.core.panels import Panel
from apps.hotels.stays import hotel_today


def desk_actions(*, request: Any, booking: Booking, **_: Any) -> Panel | None:
    """Check in, check out, no-show and move on the booking's page, for staff of its hotel with the right."""
    if booking.guest_id == request.user.pk:
        return None
    user, hotel = request.user, booking.hotel
    today = hotel_today(hotel)
    actions = {
        "check_in": booking.status == Booking.Status.CONFIRMED
        and booking.check_in <= today < booking.check_out
        and user_has_perm(user, "bookings.check_in_booking", hotel),
        "check_out": booking.status == Booking.Status.CHECKED_IN
        and user_has_perm(user, "bookings.check_out_booking", hotel),
        "no_show": booking.status == Booking.Status.CONFIRMED
        and booking.check_in < today
        and user_has_perm(user, "bookings.mark_no_show_booking", hotel),
        "move": booking.is_active and user_has_perm(user, "bookings.assign_room_booking", hotel),
    }
    if not any(actions.values()):
        return None
    return Panel(template="staff/_booking_desk_panel.html", context={"booking": booking, **actions})
