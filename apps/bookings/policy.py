"""The hotel's cancellation policy applied to a booking's frozen price: one rule for page, API and refund.

Free until `free_cancellation_hours` before check-in time on the arrival date
(hotel-local). After that the hotel keeps the first night's price, or its set
share of the stay's total. The refund proposed is what was paid less what the
policy keeps, never negative, never more than what is left to refund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.bookings.models import Booking
from apps.bookings.ports import paid_so_far
from apps.core.errors import ApplicationError, InvalidState, PermissionDenied
from apps.hotels.models import Hotel
from apps.hotels.pricing import ZERO, money

# The bookings a guest or the desk may still cancel or move to other dates.
CANCELLABLE = (Booking.Status.HELD, Booking.Status.CONFIRMED)


def change_problem(*, booking: Booking, now: datetime | None = None) -> str | None:
    """Why this booking's dates cannot change now (None: they can). Pages offer the change on this answer."""
    if booking.status not in CANCELLABLE:
        return _("The dates of a %(status)s booking cannot change.") % {"status": booking.get_status_display().lower()}
    if booking.hold_expired(now):
        return _("This hold has expired. Please book again: the room may still be free.")
    return None


def cancel_problem(*, booking: Booking, now: datetime | None = None) -> str | None:
    """Why this booking cannot be cancelled now (None: it can). A hold past its time is expiring by itself."""
    if booking.status not in CANCELLABLE:
        return _("A %(status)s booking cannot be cancelled.") % {"status": booking.get_status_display().lower()}
    if booking.hold_expired(now):
        return _("This hold has expired: it has already let its room go.")
    return None


@dataclass(frozen=True)
class CancellationTerms:
    free_until: datetime  # an aware instant
    is_free: bool
    keeps: Decimal  # what the hotel keeps of the stay's total
    paid: Decimal
    refund: Decimal  # what would go back to the guest now
    currency: str


def free_cancellation_deadline(booking: Booking) -> datetime:
    hotel: Hotel = booking.hotel
    arrival = datetime.combine(booking.check_in, hotel.check_in_time, tzinfo=hotel.zone)
    return arrival - timedelta(hours=hotel.free_cancellation_hours)


def amount_paid(booking: Booking) -> Decimal:
    """Paid less refunded (or committed to a refund) so far: the payments app answers it."""
    return paid_so_far.call(booking=booking)


def late_cancellation_keeps(booking: Booking) -> Decimal:
    hotel: Hotel = booking.hotel
    if hotel.late_cancellation_keeps == Hotel.LateCancellation.SHARE:
        return money(booking.total * hotel.late_cancellation_share)
    first_night = booking.night_lines.order_by("date").first()
    if first_night is None:
        return ZERO
    # The first night's share of the whole (its price, its part of the discount, its taxes).
    if booking.subtotal == ZERO:
        return ZERO
    return money(booking.total * first_night.price / booking.subtotal)


def cancellation_terms(*, booking: Booking, at: datetime | None = None) -> CancellationTerms:
    at = at or timezone.now()
    deadline = free_cancellation_deadline(booking)
    paid = amount_paid(booking)
    is_free = booking.status == Booking.Status.HELD or at < deadline
    keeps = ZERO if is_free else min(late_cancellation_keeps(booking), booking.total)
    return CancellationTerms(
        free_until=deadline,
        is_free=is_free,
        keeps=keeps,
        paid=paid,
        refund=max(paid - keeps, ZERO),
        currency=booking.currency,
    )


def no_show_terms(*, booking: Booking) -> CancellationTerms:
    """A no-show keeps the whole stay."""
    paid = amount_paid(booking)
    return CancellationTerms(
        free_until=free_cancellation_deadline(booking),
        is_free=False,
        keeps=booking.total,
        paid=paid,
        refund=max(paid - booking.total, ZERO),
        currency=booking.currency,
    )


# --- Guarantees: one guest cannot hold a hotel's rooms for free ---------------------------------------------


def deposit_due(booking: Booking) -> Decimal:
    """What the hotel asks before it confirms this booking: nothing, the first night, or a share of the stay."""
    hotel: Hotel = booking.hotel
    if hotel.deposit_rule == Hotel.Deposit.SHARE:
        return money(booking.total * hotel.deposit_share)
    if hotel.deposit_rule == Hotel.Deposit.FIRST_NIGHT:
        first_night = booking.night_lines.order_by("date").first()
        if first_night is None or booking.subtotal == ZERO:
            return ZERO
        return money(booking.total * first_night.price / booking.subtotal)  # with its share of discount and taxes
    return ZERO


def pay_at_hotel_refusal(booking: Booking) -> ApplicationError | None:
    """Why this booking cannot be confirmed on a promise to pay at the hotel (the error to raise), or None."""
    if booking.hotel.deposit_rule != Hotel.Deposit.NONE:
        return InvalidState(_("This hotel asks for a deposit to confirm a booking: please pay it online."))
    if booking.guest.email_verified_at is None:
        return PermissionDenied(_("Please confirm your email address first (we sent you a link), then confirm."))
    return None


def unpaid_rooms_problem(*, guest: User, hotel: Hotel, check_in: date, check_out: date) -> str | None:
    """Whether one more unpaid room for this stay would pass the hotel's cap of unpaid rooms per guest and night.

    The answer that counts is the one asked holding the guest's row lock (lock_guest), so two holds racing
    for one guest count one another; asked before the locks, it only turns a guest away sooner.
    """
    overlapping = list(
        Booking.objects.filter(
            guest=guest,
            hotel=hotel,
            status__in=(Booking.Status.HELD, Booking.Status.CONFIRMED),
            check_in__lt=check_out,
            check_out__gt=check_in,
        ).select_related("hotel")
    )
    if _first_night_over_cap(overlapping, hotel=hotel, check_in=check_in, check_out=check_out) is not None:
        # What was paid is read (a query per booking) only when the guest's stays alone would pass the cap.
        overlapping = [booking for booking in overlapping if amount_paid(booking) <= ZERO]
    night = _first_night_over_cap(overlapping, hotel=hotel, check_in=check_in, check_out=check_out)
    if night is None:
        return None
    return ngettext(
        "You already hold %(count)s unpaid room at %(hotel)s on %(night)s: pay for it, or cancel it, "
        "before booking another.",
        "You already hold %(count)s unpaid rooms at %(hotel)s on %(night)s: pay for one of them, or cancel "
        "it, before booking another.",
        hotel.max_unpaid_rooms_per_guest,
    ) % {"count": hotel.max_unpaid_rooms_per_guest, "hotel": hotel.name, "night": date_format(night)}


def _first_night_over_cap(bookings: list[Booking], *, hotel: Hotel, check_in: date, check_out: date) -> date | None:
    """The first night of the stay on which these bookings and one more room pass the hotel's cap."""
    night = check_in
    while night < check_out:
        if sum(1 for booking in bookings if booking.check_in <= night < booking.check_out) + 1 > (
            hotel.max_unpaid_rooms_per_guest
        ):
            return night
        night += timedelta(days=1)
    return None
