"""Reads of the booking engine: availability with its quotes, and bookings, always scoped.

A guest sees their own bookings, staff the bookings of their hotels. Availability lives here, above
the catalogue (hotels) and its offers, because it counts the bookings and prices with the offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.permissions import effective_permissions, scope_queryset, user_has_perm
from apps.bookings.models import BlockNights, Booking, RoomBlock, StayRange
from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.hotels.cache import cached_many
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.pricing import InvalidOffer, OfferTerms, Quote, RateRule, quote_stay
from apps.hotels.selectors import room_type_list, room_types_shown_key
from apps.hotels.stays import validate_stay
from apps.offers.selectors import automatic_offers, automatic_offers_key, automatic_offers_now, offer_find

VIEW = "bookings.view_booking"


@dataclass(frozen=True)
class BookingFilters:
    hotel: str | None = None  # slug
    status: str | None = None
    arrival: date | None = None
    departure: date | None = None
    q: str | None = None  # reference, guest name or email
    staying_on: date | None = None  # the stay includes this night


def _base() -> QuerySet[Booking]:
    return Booking.objects.select_related("hotel", "room_type", "room", "guest", "offer").prefetch_related(
        "night_lines"
    )


def booking_list_for_user(*, user: Any, filters: BookingFilters | None = None) -> QuerySet[Booking]:
    """Own bookings, plus every booking of the hotels where `user` may view bookings."""
    permissions = effective_permissions(user)
    if permissions.has(VIEW):
        bookings = _base()
    else:
        hotel_ids = permissions.object_ids_with(VIEW, "hotels.hotel")
        bookings = _base().filter(Q(guest=user) | Q(hotel_id__in=[int(pk) for pk in hotel_ids]))
    filters = filters or BookingFilters()
    if filters.hotel:
        bookings = bookings.filter(hotel__slug=filters.hotel)
    if filters.status:
        bookings = bookings.filter(status=filters.status)
    if filters.arrival:
        bookings = bookings.filter(check_in=filters.arrival)
    if filters.departure:
        bookings = bookings.filter(check_out=filters.departure)
    if filters.staying_on:
        bookings = bookings.filter(check_in__lte=filters.staying_on, check_out__gt=filters.staying_on)
    if filters.q:
        term = filters.q.strip()
        bookings = bookings.filter(
            Q(reference__iexact=term)
            | Q(guest__email__icontains=term)
            | Q(guest__first_name__icontains=term)
            | Q(guest__last_name__icontains=term)
        )
    return bookings.order_by("check_in", "reference")


def booking_get_for_user(*, user: Any, reference: str) -> Booking:
    """The booking if `user` may see it; 404 otherwise, as if it did not exist."""
    booking = booking_list_for_user(user=user).filter(reference=reference.upper()).first()
    if booking is None:
        raise NotFound(_("There is no booking with this reference."))
    return booking


def booking_get_for_staff(*, user: Any, reference: str, perm: str) -> Booking:
    """For desk transitions: 404 outside the user's scope, 403 for the booking's own guest without `perm`."""
    booking = booking_get_for_user(user=user, reference=reference)
    if not user_has_perm(user, perm, booking.hotel):
        raise PermissionDenied(_("Only the hotel's staff can do this."))
    return booking


def booking_get_for_guest_or_staff(*, user: Any, reference: str, perm: str) -> Booking:
    """The guest acts on their own booking; anyone else needs `perm` at its hotel."""
    booking = booking_get_for_user(user=user, reference=reference)
    if booking.guest_id != user.pk and not user_has_perm(user, perm, booking.hotel):
        raise PermissionDenied(_("Only the guest or the hotel's staff can do this."))
    return booking


@dataclass(frozen=True)
class GuestBookings:
    upcoming: list[Booking]
    past: list[Booking]


def guest_bookings(*, user: Any, today: date) -> GuestBookings:
    """The guest's own bookings (never their hotel's, even for staff): stays still ahead, then the rest."""
    own = list(_base().filter(guest=user).order_by("check_in", "reference"))
    ahead = [b for b in own if b.status in Booking.ACTIVE_STATUSES and b.check_out >= today]
    ahead_ids = {b.pk for b in ahead}
    past = sorted((b for b in own if b.pk not in ahead_ids), key=lambda b: (b.check_in, b.reference), reverse=True)
    return GuestBookings(upcoming=ahead, past=past)


def room_has_stays(*, room: Room, today: date) -> bool:
    """An active stay on `room` that has not ended by the hotel's `today` (the catalogue asks before removing it)."""
    return Booking.objects.filter(room=room, status__in=Booking.ACTIVE_STATUSES, check_out__gt=today).exists()


def stay_rooms_left(*, room_type: RoomType, check_in: date, check_out: date) -> int:
    """What availability would say for this room type and stay (the same query, one type)."""
    found = rooms_left_by_type(
        hotel_id=room_type.hotel_id, check_in=check_in, check_out=check_out, room_type_id=room_type.pk
    )
    return found.get(room_type.pk, 0)


# --- Availability ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    room_type: RoomType
    rooms_left: int
    quote: Quote
    bookable: bool  # False when the hotel's rules close this arrival or need a longer stay
    restriction: str = ""
    offer_note: str = ""  # why an offer asked for did not apply to this room type


def _room_types_and_offers(*, hotel: Hotel) -> tuple[list[RoomType], list[OfferTerms]]:
    """The hotel's room types as guests see them (amenities loaded, cheapest first) and its
    automatic offers, from the catalogue cache in one round trip; shared, never to be changed."""
    room_types_key, offers_key = room_types_shown_key(hotel), automatic_offers_key(hotel)
    found = cached_many(
        {
            room_types_key: lambda: list(room_type_list(hotel=hotel)),
            offers_key: lambda: automatic_offers_now(hotel=hotel),
        },
        keep_local=True,
    )
    return found[room_types_key], found[offers_key]


# The two queries of every search are written out: they are the busiest reads of the
# site, and building them through the ORM cost several times what PostgreSQL takes to
# answer them. Every value is a parameter.

# Rooms left per type: the inventory rows of the hotel's nights of the stay (bookings_roomtypenight, one
# range of its (hotel, night) index, read from the index alone), the fewest left on any night. A type
# with a night missing from the rows (past the window the nightly roll keeps) has nothing to sell.
ROOMS_LEFT_SQL = """
    SELECT row.room_type_id, min(row.rooms - row.sold - row.blocked), count(*)
    FROM bookings_roomtypenight row
    WHERE row.hotel_id = %(hotel)s::bigint AND row.night >= %(check_in)s AND row.night < %(check_out)s
    GROUP BY row.room_type_id
"""

NIGHTS_LEFT_SQL = """
    SELECT row.night, row.rooms - row.sold - row.blocked FROM bookings_roomtypenight row
    WHERE row.room_type_id = %(room_type)s::bigint AND row.night >= %(check_in)s AND row.night < %(check_out)s
"""

RATE_RULES_SQL = """
    SELECT rate.room_type_id, rate.starts_on, rate.ends_on, rate.weekdays, rate.price, rate.adjustment,
           rate.min_nights, rate.closed_to_arrival
    FROM hotels_rateoverride rate
    JOIN hotels_roomtype room_type ON room_type.id = rate.room_type_id
    WHERE room_type.hotel_id = %(hotel)s::bigint AND NOT rate.is_deleted
      AND rate.starts_on <= %(last_night)s AND rate.ends_on >= %(check_in)s
"""


def rooms_left_by_type(
    *, hotel_id: int, check_in: date, check_out: date, room_type_id: int | None = None
) -> dict[int, int]:
    """Rooms left per room type for the stay: on its fullest night, rooms in service less those sold or out of
    order (the inventory, apps/bookings/inventory.py). One indexed query; a sold-out type answers 0.

    Repacking makes this exact: when every night has a room left, the booking engine finds the stay a room.
    """
    nights = (check_out - check_in).days
    params: dict[str, Any] = {"hotel": hotel_id, "check_in": check_in, "check_out": check_out}
    with connection.cursor() as cursor:
        cursor.execute(ROOMS_LEFT_SQL, params)
        rows = cursor.fetchall()
    return {
        type_id: max(left, 0) if counted == nights else 0
        for type_id, left, counted in rows
        if room_type_id is None or type_id == room_type_id
    }


def stay_rooms_left_for(*, booking: Booking, check_in: date, check_out: date) -> int:
    """Rooms left of the booking's type for new dates, the nights the booking holds now counted as its own."""
    params: dict[str, Any] = {"room_type": booking.room_type_id, "check_in": check_in, "check_out": check_out}
    with connection.cursor() as cursor:
        cursor.execute(NIGHTS_LEFT_SQL, params)
        left = dict(cursor.fetchall())
    counted = booking.is_active and booking.room.in_service and booking.room.room_type_id == booking.room_type_id
    own = {booking.check_in + timedelta(days=n) for n in range(booking.nights)} if counted else set()
    nights = [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]
    return min(left.get(night, 0) + (night in own) for night in nights) if nights else 0


def _rate_rules_for_stay(*, hotel_id: int, check_in: date, check_out: date) -> dict[int, list[RateRule]]:
    """Per room type, the live rate overrides touching a night of the stay, in one query."""
    params: dict[str, int | date] = {
        "hotel": hotel_id,
        "check_in": check_in,
        "last_night": date.fromordinal(check_out.toordinal() - 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(RATE_RULES_SQL, params)
        rows = cursor.fetchall()
    rules: dict[int, list[RateRule]] = {}
    for room_type_id, starts_on, ends_on, weekdays, price, adjustment, min_nights, closed_to_arrival in rows:
        rules.setdefault(room_type_id, []).append(
            RateRule(
                starts_on=starts_on,
                ends_on=ends_on,
                weekdays=frozenset(weekdays or ()),
                price=price,
                adjustment=adjustment,
                min_nights=min_nights,
                closed_to_arrival=closed_to_arrival,
            )
        )
    return rules


def availability_search(
    *,
    hotel: Hotel,
    check_in: date,
    check_out: date,
    adults: int,
    children: int = 0,
    offer_code: str | None = None,
    now: datetime | None = None,
) -> list[Availability]:
    """Each room type of `hotel` that fits the party (sold-out ones with rooms_left 0) and its quote.

    Two queries whatever the rooms, room types, bookings and nights: rooms left
    per type, and the rate overrides touching the stay (plus the offer asked
    for). The room types and the automatic offers come from the catalogue
    cache; the rooms left never do.
    """
    now = now or timezone.now()
    validate_stay(hotel=hotel, check_in=check_in, check_out=check_out, adults=adults, children=children, now=now)
    offer = offer_find(code=offer_code, hotel=hotel) if offer_code else None
    if offer is not None:
        problem = offer.general_problem(hotel_id=hotel.pk, booked_at=now)
        if problem:
            raise InvalidOffer(problem, fields={"offer_code": [problem]})
    shown, automatic = _room_types_and_offers(hotel=hotel)
    if offer is not None:
        automatic = []
    room_types = [room_type for room_type in shown if room_type.fits(adults=adults, children=children)]
    if not room_types:
        message = _("No room at %(hotel)s takes %(adults)s and %(children)s.") % {
            "hotel": hotel.name,
            "adults": ngettext("%(counter)s adult", "%(counter)s adults", adults) % {"counter": adults},
            "children": ngettext("%(counter)s child", "%(counter)s children", children) % {"counter": children},
        }
        raise ValidationFailed(message, fields={"adults": [message], "children": [message]})
    rooms_left = rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)
    rules = _rate_rules_for_stay(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)

    results = []
    for room_type in room_types:
        price = _pricer(
            hotel=hotel,
            room_type=room_type,
            check_in=check_in,
            check_out=check_out,
            adults=adults,
            children=children,
            rules=rules,
        )
        quote = price()
        offer_note = ""
        if offer is not None:
            offer_note = offer.stay_problem(room_type_id=room_type.pk, check_in=check_in, check_out=check_out) or ""
            if not offer_note:
                quote = price(offer=offer, booked_at=now)
        else:
            quote = _best_automatic(quote, price, automatic, hotel=hotel, now=now)
        restriction = quote.restriction.message if quote.restriction else ""
        results.append(
            Availability(
                room_type=room_type,
                rooms_left=rooms_left.get(room_type.pk, 0),
                quote=quote,
                bookable=not restriction,
                restriction=restriction,
                offer_note=offer_note,
            )
        )
    return results


def stay_quote(
    *,
    hotel: Hotel,
    room_type: RoomType,
    check_in: date,
    check_out: date,
    adults: int,
    children: int = 0,
    offer_code: str | None = None,
    offer: OfferTerms | None = None,
    now: datetime | None = None,
) -> Quote:
    """The price of one room type for a stay: the computation availability shows, for a booking to freeze.

    With `offer_code` (or `offer`) the offer must hold for this stay, else 400
    invalid_offer; without one the best automatic offer applies, as on the page.
    """
    now = now or timezone.now()
    if offer_code:
        offer = offer_find(code=offer_code, hotel=hotel)
    # The same rate lookup as availability's, so the booking freezes what the search showed.
    rules = _rate_rules_for_stay(hotel_id=room_type.hotel_id, check_in=check_in, check_out=check_out)
    price = _pricer(
        hotel=hotel,
        room_type=room_type,
        check_in=check_in,
        check_out=check_out,
        adults=adults,
        children=children,
        rules=rules,
    )
    if offer is not None:
        return price(offer=offer, booked_at=now)
    return _best_automatic(price(), price, automatic_offers(hotel=hotel), hotel=hotel, now=now)


def _pricer(
    *,
    hotel: Hotel,
    room_type: RoomType,
    check_in: date,
    check_out: date,
    adults: int,
    children: int,
    rules: dict[int, list[RateRule]],
) -> partial[Quote]:
    """quote_stay with everything but the offer fixed: the one pricing call availability and stay_quote share."""
    return partial(
        quote_stay,
        room_type=room_type,
        check_in=check_in,
        check_out=check_out,
        adults=adults,
        children=children,
        overrides=rules.get(room_type.pk, ()),
        tax_rate=hotel.tax_rate,
        currency=hotel.currency,
    )


def _best_automatic(
    quote: Quote, price: partial[Quote], offers: list[OfferTerms], *, hotel: Hotel, now: datetime
) -> Quote:
    """Offers without a code apply by themselves: the guest gets the largest discount that holds."""
    best = quote
    stay = price.keywords
    for offer in offers:
        if offer.general_problem(hotel_id=hotel.pk, booked_at=now) or offer.stay_problem(
            room_type_id=stay["room_type"].pk, check_in=stay["check_in"], check_out=stay["check_out"]
        ):
            continue
        candidate = price(offer=offer, booked_at=now)
        if candidate.discount > best.discount:
            best = candidate
    return best


# --- The desk: rooms out of order and the room to hand out -----------------------------------------


def staff_blocks_for_room(*, user: Any, perm: str, room: Room) -> QuerySet[RoomBlock]:
    """The room's live blocks, if `user` holds `perm` at its hotel (else none), first nights first."""
    blocks = RoomBlock.objects.filter(room=room).select_related("room", "created_by")
    return scope_queryset(user, perm, blocks, scope_model=Hotel, path="hotel").order_by("start")


def staff_block_get(*, user: Any, perm: str, block_id: int) -> RoomBlock:
    blocks = RoomBlock.objects.select_related("room", "hotel")
    block = (
        scope_queryset(user, perm, blocks, scope_model=Hotel, path="hotel").filter(pk=block_id).first()
        if 0 < block_id < 2**63
        else None
    )
    if block is None:
        raise NotFound(_("There is no such block among your hotels."))
    return block


HOUSEKEEPING_RANK = {Room.Housekeeping.INSPECTED: 0, Room.Housekeeping.CLEAN: 1, Room.Housekeeping.DIRTY: 2}


def rooms_free_for_stay(*, booking: Booking, same_type: bool = True) -> list[Room]:
    """Rooms the booking could move to for its whole stay (in service, no other stay, no block), in one query.

    Ready rooms first (inspected, clean, then dirty), then the booking's own type, floor and number; the
    booking's own room is among them when it is still free for it.
    """
    overlapping = (
        Booking.objects.filter(room=OuterRef("pk"), status__in=Booking.ACTIVE_STATUSES)
        .exclude(pk=booking.pk)
        .alias(stay=StayRange())
        .filter(stay__overlap=DateRange(booking.check_in, booking.check_out, "[)"))
    )
    blocked = (
        RoomBlock.objects.filter(room=OuterRef("pk"))
        .alias(nights=BlockNights())
        .filter(nights__overlap=DateRange(booking.check_in, booking.check_out, "[)"))
    )
    rooms = Room.objects.filter(hotel_id=booking.hotel_id, in_service=True).select_related("room_type")
    if same_type:
        rooms = rooms.filter(room_type_id=booking.room_type_id)
    found = list(rooms.filter(~Exists(overlapping), ~Exists(blocked)))
    return sorted(
        found,
        key=lambda room: (
            HOUSEKEEPING_RANK.get(room.housekeeping, 3),
            room.room_type_id != booking.room_type_id,
            room.pk != booking.room_id,
            room.floor,
            room.number,
        ),
    )


def suggested_room(*, booking: Booking, rooms: list[Room]) -> Room | None:
    """The room to offer at check-in: the booking's own when it is ready, else the first ready one of its type."""
    ready = (Room.Housekeeping.CLEAN, Room.Housekeeping.INSPECTED)
    own = next((room for room in rooms if room.pk == booking.room_id), None)
    if own is not None and own.housekeeping in ready:
        return own
    same_type = [room for room in rooms if room.room_type_id == booking.room_type_id]
    fallback = own or (same_type[0] if same_type else None)
    return next((room for room in same_type if room.housekeeping in ready), fallback)
