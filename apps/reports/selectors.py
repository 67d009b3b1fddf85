"""The occupancy report: rooms in service, sold and out of order, occupancy, ADR, RevPAR and room revenue
per night, computed in SQL from the bookings' frozen nights.

Rooms in service and out of order on a night are the booking engine's inventory count of that night, which
it keeps for nights past: a room taken out of service today leaves last month's supply as it was. A night
with no count (before the inventory existed) takes today's rooms in service.

Revenue is room revenue net of discounts, before taxes. A booking's discount (once per stay) is spread
over its nights in proportion to their price, cumulatively: night i carries
round(D x C_i / S) - round(D x C_{i-1} / S), where C_i is the stay's price through night i and S its
nights' sum. Each share is rounded to the cent, and a stay's shares add up to D exactly, so the nights of
one booking always sum to subtotal - discount, whatever the range asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from apps.accounts.permissions import user_has_perm_anywhere
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.hotels.models import Hotel
from apps.hotels.selectors import staff_hotel_get, staff_hotels

VIEW = "reports.view_report"
MAX_DAYS = 366
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ZERO = Decimal("0.00")

# Statuses whose nights were sold: confirmed, checked in, checked out (a hold is not a sale yet; cancelled,
# expired and no-show stays were not slept in). A stay with nothing to pay after its discount is
# complimentary, and complimentary rooms are not "sold" (USALI).
STAY_FILTER = """
        booking.hotel_id = %(hotel)s::bigint AND NOT booking.is_deleted
        AND booking.status IN ('confirmed', 'checked_in', 'checked_out')
        AND booking.subtotal > booking.discount
        AND booking.check_in <= %(last)s::date AND booking.check_out > %(first)s::date
"""
# Stays without a discount (most) are summed straight from the nights in the range, read from the
# nights' (date) index; only discounted stays need all their nights, in order, for their shares.
OCCUPANCY_SQL = f"""
    WITH nights AS (
      SELECT night::date AS night
      FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS night
    ),
    plain AS (
      SELECT line.date AS night, count(*) AS rooms_sold, sum(line.price) AS revenue
      FROM bookings_bookingnight line
      JOIN bookings_booking booking ON booking.id = line.booking_id
      WHERE line.date BETWEEN %(first)s::date AND %(last)s::date AND booking.discount = 0 AND {STAY_FILTER}
      GROUP BY line.date
    ),
    discounted_lines AS (
      SELECT line.date, line.price, booking.discount, booking.subtotal,
             sum(line.price) OVER (PARTITION BY line.booking_id ORDER BY line.date) AS through_night
      FROM bookings_booking booking
      JOIN bookings_bookingnight line ON line.booking_id = booking.id
      WHERE booking.discount > 0 AND {STAY_FILTER}
    ),
    discounted AS (
      SELECT lines.date AS night, count(*) AS rooms_sold,
             sum(lines.price - round(lines.discount * lines.through_night / lines.subtotal, 2)
                             + round(lines.discount * (lines.through_night - lines.price) / lines.subtotal, 2))
               AS revenue
      FROM discounted_lines lines
      WHERE lines.date BETWEEN %(first)s::date AND %(last)s::date
      GROUP BY lines.date
    ),
    sold AS (
      SELECT night, sum(rooms_sold) AS rooms_sold, sum(revenue) AS revenue
      FROM (SELECT * FROM plain UNION ALL SELECT * FROM discounted) AS both_kinds
      GROUP BY night
    ),
    blocked AS (
      SELECT nights.night, count(*) AS rooms_out_of_order
      FROM nights
      JOIN bookings_roomblock block
        ON block.hotel_id = %(hotel)s::bigint AND NOT block.is_deleted
       AND nights.night >= block.start AND nights.night < block."end"
      JOIN hotels_room room ON room.id = block.room_id AND room.in_service AND NOT room.is_deleted
      GROUP BY nights.night
    ),
    counted AS (
      SELECT night, sum(rooms) AS rooms, sum(blocked) AS blocked
      FROM bookings_roomtypenight
      WHERE hotel_id = %(hotel)s::bigint AND night BETWEEN %(first)s::date AND %(last)s::date
      GROUP BY night
    )
    SELECT nights.night,
           coalesce(counted.rooms, (SELECT count(*) FROM hotels_room room
             WHERE room.hotel_id = %(hotel)s::bigint AND room.in_service AND NOT room.is_deleted))::integer,
           coalesce(sold.rooms_sold, 0)::integer,
           coalesce(counted.blocked, blocked.rooms_out_of_order, 0)::integer,
           coalesce(sold.revenue, 0)
    FROM nights
    LEFT JOIN sold ON sold.night = nights.night
    LEFT JOIN blocked ON blocked.night = nights.night
    LEFT JOIN counted ON counted.night = nights.night
    ORDER BY nights.night
"""  # noqa: S608 (STAY_FILTER is this module's constant; every value is a parameter)


@dataclass(frozen=True)
class Figures:
    """One night's figures, or the range's totals (room nights summed)."""

    rooms_in_service: int
    rooms_sold: int
    rooms_out_of_order: int
    revenue: Decimal

    @property
    def occupancy(self) -> Decimal:
        """Percent of the rooms in service that were sold, one decimal."""
        if not self.rooms_in_service:
            return Decimal("0.0")
        return (Decimal(self.rooms_sold * 100) / self.rooms_in_service).quantize(TENTH, ROUND_HALF_UP)

    @property
    def adr(self) -> Decimal:
        if not self.rooms_sold:
            return ZERO
        return (self.revenue / self.rooms_sold).quantize(CENT, ROUND_HALF_UP)

    @property
    def revpar(self) -> Decimal:
        if not self.rooms_in_service:
            return ZERO
        return (self.revenue / self.rooms_in_service).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Night(Figures):
    date: date


@dataclass(frozen=True)
class OccupancyReport:
    hotel: Hotel
    first: date
    last: date
    days: list[Night]
    totals: Figures


def occupancy_report(*, hotel: Hotel, first: date, last: date) -> OccupancyReport:
    """The hotel's figures for each night from `first` to `last` (both included, at most 366), in one query."""
    if last < first:
        raise ValidationFailed(_("The report ends before it starts."), fields={"to": [_("Must be on or after from.")]})
    if (last - first).days + 1 > MAX_DAYS:
        message = _("A report covers at most %(days)s days.") % {"days": MAX_DAYS}
        raise ValidationFailed(message, fields={"to": [message]})
    with connection.cursor() as cursor:
        cursor.execute(OCCUPANCY_SQL, {"hotel": hotel.pk, "first": first, "last": last})
        rows = cursor.fetchall()
    days = [
        Night(date=night, rooms_in_service=supply, rooms_sold=sold, rooms_out_of_order=blocked, revenue=revenue)
        for night, supply, sold, blocked, revenue in rows
    ]
    totals = Figures(
        rooms_in_service=sum(day.rooms_in_service for day in days),
        rooms_sold=sum(day.rooms_sold for day in days),
        rooms_out_of_order=sum(day.rooms_out_of_order for day in days),
        revenue=sum((day.revenue for day in days), ZERO),
    )
    return OccupancyReport(hotel=hotel, first=first, last=last, days=days, totals=totals)


def report_hotels(*, user: Any) -> list[Hotel]:
    """The hotels whose reports `user` may read (an auditor: all)."""
    return list(staff_hotels(user=user, perm=VIEW))


def report_hotel_get(*, user: Any, slug: str) -> Hotel:
    """403 for someone who may read no report; 404 for a hotel outside their reports."""
    if not user_has_perm_anywhere(user, VIEW):
        raise PermissionDenied(_("You may not read reports."))
    return staff_hotel_get(user=user, perm=VIEW, slug=slug)


def default_range(*, today: date) -> tuple[date, date]:
    """Two weeks back and two weeks ahead of the hotel's today."""
    return today - timedelta(days=14), today + timedelta(days=15)
