"""The one price engine. Availability, booking, the back office and refunds all quote through it.

Pure: it reads only what it is given (a room type, its rate overrides, an
offer's terms) and runs no query, so a quote shown on a page and the one
frozen into a booking are the same computation.

Rules (DOMAIN.md):
- A night costs its base (the room type's rate, or the override for that date)
  plus the extra-person charges above the base occupancy, adults filling the
  included places first.
- Of several overrides covering one night the most specific wins: the
  shortest date range, then the one limited to fewer weekdays, then the later
  start, then the higher price. It never depends on the order they were entered.
- An offer applies once per stay: a percentage of the nights' sum or a fixed
  amount, never more than that sum.
- Taxes = the hotel's tax rate x (nights' sum - discount).
- Every amount is rounded half-up to the cent where it is computed (each night,
  the discount, the taxes); totals are sums of those rounded lines, so every
  screen adds up to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from apps.hotels.models import RateOverride, RoomType

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def money(amount: Decimal) -> Decimal:
    """Half-up to the cent: 0.005 → 0.01 (banker's rounding would give 0.00)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class InvalidOffer(ApplicationError):
    code = ErrorCode.INVALID_OFFER
    status = 400
    default_message = gettext_lazy("This offer code is not valid.")


@dataclass(frozen=True)
class RateRule:
    """A rate override as the engine sees it (built from a RateOverride or directly in tests)."""

    starts_on: date
    ends_on: date
    weekdays: frozenset[int] = frozenset()
    price: Decimal | None = None
    adjustment: Decimal | None = None
    min_nights: int = 1
    closed_to_arrival: bool = False

    @classmethod
    def of(cls, override: RateOverride | RateRule) -> RateRule:
        if isinstance(override, RateRule):
            return override
        return cls(
            starts_on=override.starts_on,
            ends_on=override.ends_on,
            weekdays=frozenset(override.weekdays or ()),
            price=override.price,
            adjustment=override.adjustment,
            min_nights=override.min_nights,
            closed_to_arrival=override.closed_to_arrival,
        )

    def covers(self, night: date) -> bool:
        return self.starts_on <= night <= self.ends_on and (not self.weekdays or night.weekday() in self.weekdays)

    def base_for(self, base_rate: Decimal) -> Decimal:
        if self.price is not None:
            return money(self.price)
        return max(money(base_rate + (self.adjustment or ZERO)), ZERO)

    def specificity(self, base_rate: Decimal) -> tuple[int, int, int, Decimal]:
        """Sorts the winner first: shortest range, fewest weekdays, latest start, highest price."""
        span = (self.ends_on - self.starts_on).days
        days = len(self.weekdays) or 7
        return (span, days, -self.starts_on.toordinal(), -self.base_for(base_rate))


@dataclass(frozen=True)
class OfferTerms:
    """What the engine needs to know of an offer, loaded beforehand (no queries in here).

    apps.offers builds these from its rows (`offers.selectors.offer_terms`); the engine never sees a model.
    """

    id: int | None
    code: str | None
    kind: str  # "percent" | "fixed"
    value: Decimal
    stay_starts_on: date | None = None
    stay_ends_on: date | None = None
    bookable_from: datetime | None = None
    bookable_until: datetime | None = None
    min_nights: int = 1
    room_type_ids: frozenset[int] = frozenset()  # empty: every room type
    hotel_id: int | None = None  # None: every hotel
    uses_left: int | None = None  # None: unlimited
    is_active: bool = True

    def general_problem(self, *, hotel_id: int | None, booked_at: datetime) -> str | None:
        """Why the offer cannot be used at all now (unknown to this hotel, inactive, expired, used up)."""
        if not self.is_active:
            return _("This offer is no longer available.")
        if self.hotel_id is not None and hotel_id is not None and self.hotel_id != hotel_id:
            return _("This offer is not valid at this hotel.")
        if self.bookable_from is not None and booked_at < self.bookable_from:
            return _("This offer cannot be booked yet.")
        if self.bookable_until is not None and booked_at >= self.bookable_until:
            return _("This offer has expired.")
        if self.uses_left is not None and self.uses_left <= 0:
            return _("This offer has been fully used.")
        return None

    def stay_problem(self, *, room_type_id: int | None, check_in: date, check_out: date) -> str | None:
        """Why the offer does not cover this stay (room type, stay window, length)."""
        if self.room_type_ids and room_type_id not in self.room_type_ids:
            return _("This offer does not cover this room type.")
        if self.stay_starts_on is not None and check_in < self.stay_starts_on:
            return _("This offer covers stays from %(day)s.") % {"day": self.stay_starts_on.isoformat()}
        if self.stay_ends_on is not None and check_out - timedelta(days=1) > self.stay_ends_on:
            return _("This offer covers nights up to %(day)s.") % {"day": self.stay_ends_on.isoformat()}
        if (check_out - check_in).days < self.min_nights:
            return _("This offer needs a stay of at least %(nights)s nights.") % {"nights": self.min_nights}
        return None

    def discount_on(self, nights_sum: Decimal) -> Decimal:
        amount = money(nights_sum * self.value / HUNDRED) if self.kind == "percent" else money(self.value)
        return min(amount, nights_sum)


@dataclass(frozen=True)
class NightLine:
    date: date
    base: Decimal
    occupancy_charge: Decimal
    override_applied: bool
    price: Decimal


@dataclass(frozen=True)
class Restriction:
    """Why the hotel's rate rules refuse this arrival: the field to blame and the words every screen shows."""

    field: str
    message: str


@dataclass(frozen=True)
class Quote:
    nights: tuple[NightLine, ...]
    subtotal: Decimal  # the nights' sum
    discount: Decimal
    taxes: Decimal
    total: Decimal
    currency: str
    offer: OfferTerms | None = None  # the offer applied, if any
    min_nights: int = 1  # what the rate overrides require for this arrival
    closed_to_arrival: bool = False

    @property
    def night_count(self) -> int:
        return len(self.nights)

    @property
    def restriction(self) -> Restriction | None:
        """The one restriction rule (closed to arrival, minimum stay): availability shows it, the booking
        services refuse on it, and the book page explains it, all in these words."""
        if self.closed_to_arrival:
            return Restriction("check_in", _("The hotel takes no arrivals on this date for this room type."))
        if self.night_count < self.min_nights:
            return Restriction(
                "check_out",
                _("Stays arriving on this date need at least %(nights)s nights.") % {"nights": self.min_nights},
            )
        return None


def capacity_problem(*, room_type: Any, adults: int, children: int) -> str | None:
    """The one capacity rule and its words: a party this room type cannot take."""
    if room_type.fits(adults=adults, children=children):
        return None
    return _("%(room_type)s takes at most %(adults)s adults and %(children)s children.") % {
        "room_type": room_type.name,
        "adults": room_type.max_adults,
        "children": room_type.max_children,
    }


def occupancy_charge(*, room_type: Any, adults: int, children: int) -> Decimal:
    """Extra-person charge per night: adults fill the included places first, then children."""
    extra_adults = max(adults - room_type.base_occupancy, 0)
    places_left = max(room_type.base_occupancy - adults, 0)
    extra_children = max(children - places_left, 0)
    return money(extra_adults * room_type.extra_adult_charge + extra_children * room_type.extra_child_charge)


def stay_nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=offset) for offset in range((check_out - check_in).days)]


def quote_stay(
    *,
    room_type: RoomType | Any,
    check_in: date,
    check_out: date,
    adults: int,
    children: int,
    overrides: Iterable[RateOverride | RateRule],
    tax_rate: Decimal,
    currency: str,
    offer: OfferTerms | None = None,
    booked_at: datetime | None = None,
) -> Quote:
    """Prices a stay of `room_type`. With an offer that does not hold, raises InvalidOffer (400).

    `booked_at` (an aware instant, needed with an offer) is checked against the offer's booking window.
    """
    if check_out <= check_in:
        raise ValueError("check_out must be after check_in")
    base_rate = money(room_type.base_rate)
    rules = [RateRule.of(override) for override in overrides]
    extra = occupancy_charge(room_type=room_type, adults=adults, children=children)

    lines = []
    for night in stay_nights(check_in, check_out):
        covering = [rule for rule in rules if rule.covers(night)]
        if covering:
            winner = min(covering, key=lambda rule: rule.specificity(base_rate))
            base = winner.base_for(base_rate)
        else:
            base = base_rate
        lines.append(NightLine(night, base, extra, bool(covering), money(base + extra)))
    subtotal = sum((line.price for line in lines), ZERO)

    discount = ZERO
    if offer is not None:
        if booked_at is None:
            raise ValueError("booked_at is needed to check an offer's booking window")
        problem = offer.general_problem(hotel_id=getattr(room_type, "hotel_id", None), booked_at=booked_at)
        problem = problem or offer.stay_problem(
            room_type_id=getattr(room_type, "pk", None), check_in=check_in, check_out=check_out
        )
        if problem:
            raise InvalidOffer(problem, fields={"offer_code": [problem]})
        discount = offer.discount_on(subtotal)
    taxes = money(Decimal(tax_rate) * (subtotal - discount))

    arrival_rules = [rule for rule in rules if rule.covers(check_in)]
    return Quote(
        nights=tuple(lines),
        subtotal=subtotal,
        discount=discount,
        taxes=taxes,
        total=subtotal - discount + taxes,
        currency=currency,
        offer=offer if offer is not None else None,
        min_nights=max((rule.min_nights for rule in arrival_rules), default=1),
        closed_to_arrival=any(rule.closed_to_arrival for rule in arrival_rules),
    )
