"""What a bookable stay is, judged in the hotel's own time zone (availability and bookings share it)."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import FieldErrors, ValidationFailed
from apps.hotels.models import Hotel

MAX_NIGHTS = 30
HORIZON_MONTHS = 18
MAX_PARTY = 20


def hotel_today(hotel: Hotel, *, now: datetime | None = None) -> date:
    """The hotel's today, not the server's: Kiritimati is a day ahead of UTC most of the time."""
    return (now or timezone.now()).astimezone(hotel.zone).date()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def validate_stay(
    *, hotel: Hotel, check_in: date, check_out: date, adults: int, children: int, now: datetime | None = None
) -> None:
    """400 validation_error with field errors unless the stay can be sold at `hotel` today."""
    fields: FieldErrors = {}
    today = hotel_today(hotel, now=now)
    if check_in < today:
        fields.setdefault("check_in", []).append(
            _("Arrival cannot be before today at the hotel (%(today)s, %(zone)s).")
            % {"today": today.isoformat(), "zone": hotel.time_zone}
        )
    horizon = add_months(today, HORIZON_MONTHS)
    if check_in > horizon:
        fields.setdefault("check_in", []).append(
            _("We take bookings up to %(months)s months ahead (arrival by %(last)s).")
            % {"months": HORIZON_MONTHS, "last": horizon.isoformat()}
        )
    if check_out <= check_in:
        fields.setdefault("check_out", []).append(_("Departure must be after arrival."))
    elif (check_out - check_in).days > MAX_NIGHTS:
        too_long = _("A stay can be at most %(nights)s nights.") % {"nights": MAX_NIGHTS}
        fields.setdefault("check_out", []).append(too_long)
    if adults < 1:
        fields.setdefault("adults", []).append(_("At least one adult stays in each room."))
    if children < 0:
        fields.setdefault("children", []).append(_("Children cannot be negative."))
    if adults + children > MAX_PARTY:
        too_many = _("A party can be at most %(people)s people per room.") % {"people": MAX_PARTY}
        fields.setdefault("adults", []).append(too_many)
    if fields:
        raise ValidationFailed(_("These dates or guests cannot be booked."), fields=fields)
