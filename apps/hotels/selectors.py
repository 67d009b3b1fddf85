"""Reads of the catalogue: public lists, staff-scoped lists, and availability with its quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from apps.accounts.permissions import scope_queryset
from apps.core.errors import NotFound, ValidationFailed
from apps.hotels.cache import cached, cached_many
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.pricing import InvalidOffer, OfferTerms, Quote, RateRule, quote_stay
from apps.hotels.stays import validate_stay


def _valid_id(pk: int) -> bool:
    """Ids beyond PostgreSQL's bigint can only be missing (and must not reach the database)."""
    return 0 < pk < 2**63


# --- Public reads ---------------------------------------------------------------------


def hotel_list(*, query: str = "") -> QuerySet[Hotel]:
    """Live hotels, optionally those whose name or city contains `query`."""
    hotels = Hotel.objects.all()
    query = query.strip()
    if query:
        hotels = hotels.filter(Q(name__icontains=query) | Q(city__icontains=query))
    return hotels.order_by("name")


def hotel_get(*, slug: str) -> Hotel:
    hotel = Hotel.objects.filter(slug=slug).first()
    if hotel is None:
        raise NotFound("There is no hotel with this name.")
    return hotel


def hotel_get_cached(*, slug: str) -> Hotel:
    """hotel_get for public reads (search): the catalogue cache's copy, shared, never to be changed.

    Writes (a booking, a staff change) read the row itself with hotel_get.
    """
    hotel = cached(f"hotel-row:{slug}", lambda: Hotel.objects.filter(slug=slug).first(), keep_local=True)
    if hotel is None:
        raise NotFound("There is no hotel with this name.")
    return hotel


def room_type_list(*, hotel: Hotel) -> QuerySet[RoomType]:
    return (
        RoomType.objects.filter(hotel=hotel)
        .select_related("hotel")
        .prefetch_related(Prefetch("amenities", queryset=Amenity.objects.order_by("name")))
        .order_by("base_rate", "name")
    )


def room_type_get(*, room_type_id: int) -> RoomType:
    room_type = room_type_list_all().filter(pk=room_type_id).first() if _valid_id(room_type_id) else None
    if room_type is None:
        raise NotFound("There is no room type with this id.")
    return room_type


def room_type_to_book(*, hotel_slug: str, room_type_id: int) -> RoomType:
    """The room type to book, with its hotel, in one query (no amenities); a 404 names what is missing."""
    room_type = (
        RoomType.objects.select_related("hotel")
        .filter(pk=room_type_id, hotel__slug=hotel_slug, hotel__is_deleted=False)
        .first()
        if _valid_id(room_type_id)
        else None
    )
    if room_type is None:
        hotel_get(slug=hotel_slug)  # no such hotel: say that first
        raise NotFound("This hotel has no such room type.")
    return room_type


def room_type_list_all() -> QuerySet[RoomType]:
    return RoomType.objects.filter(hotel__is_deleted=False).select_related("hotel").prefetch_related("amenities")


def amenity_list() -> QuerySet[Amenity]:
    return Amenity.objects.order_by("name")


# --- Staff reads (scoped to the hotels where the user holds `perm`) ----------------------


def staff_hotels(*, user: Any, perm: str) -> QuerySet[Hotel]:
    return scope_queryset(user, perm, Hotel.objects.all(), scope_model=Hotel, path="pk").order_by("name")


def staff_hotel_get(*, user: Any, perm: str, slug: str) -> Hotel:
    """The hotel if `user` holds `perm` there; otherwise 404, as if it did not exist."""
    hotel = staff_hotels(user=user, perm=perm).filter(slug=slug).first()
    if hotel is None:
        raise NotFound("There is no hotel with this name among yours.")
    return hotel


def staff_room_type_get(*, user: Any, perm: str, room_type_id: int) -> RoomType:
    scoped = scope_queryset(user, perm, room_type_list_all(), scope_model=Hotel, path="hotel")
    room_type = scoped.filter(pk=room_type_id).first() if _valid_id(room_type_id) else None
    if room_type is None:
        raise NotFound("There is no room type with this id among your hotels.")
    return room_type


def staff_room_list(*, user: Any, perm: str, hotel: Hotel) -> QuerySet[Room]:
    rooms = Room.objects.filter(hotel=hotel).select_related("room_type")
    return scope_queryset(user, perm, rooms, scope_model=Hotel, path="hotel").order_by("number")


def staff_room_get(*, user: Any, perm: str, room_id: int) -> Room:
    rooms = Room.objects.select_related("room_type", "hotel")
    scoped = scope_queryset(user, perm, rooms, scope_model=Hotel, path="hotel")
    room = scoped.filter(pk=room_id).first() if _valid_id(room_id) else None
    if room is None:
        raise NotFound("There is no room with this id among your hotels.")
    return room


def staff_rate_list(*, user: Any, perm: str, hotel: Hotel) -> QuerySet[RateOverride]:
    rates = RateOverride.objects.filter(room_type__hotel=hotel).select_related("room_type")
    return scope_queryset(user, perm, rates, scope_model=Hotel, path="room_type__hotel").order_by(
        "starts_on", "room_type__name"
    )


def staff_rate_get(*, user: Any, perm: str, rate_id: int) -> RateOverride:
    rates = RateOverride.objects.select_related("room_type__hotel")
    scoped = scope_queryset(user, perm, rates, scope_model=Hotel, path="room_type__hotel")
    rate = scoped.filter(pk=rate_id).first() if _valid_id(rate_id) else None
    if rate is None:
        raise NotFound("There is no rate with this id among your hotels.")
    return rate


# --- Availability ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    room_type: RoomType
    rooms_left: int
    quote: Quote
    bookable: bool  # False when the hotel's rules close this arrival or need a longer stay
    restriction: str = ""
    offer_note: str = ""  # why an offer asked for did not apply to this room type


def offer_find(*, code: str, hotel: Hotel) -> OfferTerms:
    """The live offer with `code` (any case) valid at `hotel`, else 400 invalid_offer."""
    from apps.offers.models import Offer

    offer = (
        Offer.objects.annotate(code_upper=Upper("code"))
        .filter(code_upper=code.strip().upper())
        .filter(Q(hotel=hotel) | Q(hotel__isnull=True))
        .prefetch_related("room_types")
        .first()
    )
    if offer is None:
        raise InvalidOffer("This offer code is not known.", fields={"offer_code": ["Unknown code."]})
    return OfferTerms.of(offer)


def _automatic_offers_now(hotel: Hotel) -> list[OfferTerms]:
    from apps.offers.models import Offer

    offers = (
        Offer.objects.filter(Q(hotel=hotel) | Q(hotel__isnull=True), code__isnull=True, is_active=True)
        .prefetch_related("room_types")
        .order_by("pk")
    )
    return [OfferTerms.of(offer) for offer in offers]


def _automatic_offers(*, hotel: Hotel) -> list[OfferTerms]:
    """The hotel's offers without a code, as plain (frozen) terms, cached with the catalogue.

    An offer change, or an offer used up, bumps the catalogue's generation.
    """
    return cached(f"automatic-offers:{hotel.pk}", lambda: _automatic_offers_now(hotel), keep_local=True)


def room_types_shown(*, hotel: Hotel) -> list[RoomType]:
    """room_type_list from the catalogue cache, for public pages: shared, never to be changed."""
    return _room_types_and_offers(hotel=hotel)[0]


def _room_types_and_offers(*, hotel: Hotel) -> tuple[list[RoomType], list[OfferTerms]]:
    """The hotel's room types as guests see them (amenities loaded, cheapest first) and its
    automatic offers, from the catalogue cache; shared, never to be changed."""
    found = cached_many(
        {
            f"room-types:{hotel.pk}": lambda: list(room_type_list(hotel=hotel)),
            f"automatic-offers:{hotel.pk}": lambda: _automatic_offers_now(hotel),
        },
        keep_local=True,
    )
    return found[f"room-types:{hotel.pk}"], found[f"automatic-offers:{hotel.pk}"]


# The two queries of every search are written out: they are the busiest reads of the
# site, and building them through the ORM cost several times what PostgreSQL takes to
# answer them. Every value is a parameter.

# Rooms out of order on a night of the stay (bookings_roomblock, one scan of its own partial GiST
# index on (hotel, nights)) are taken exactly like rooms with a stay.
# The subquery states the partial index's own condition (live, held/confirmed/checked in:
# Booking.ACTIVE_STATUSES) so PostgreSQL answers it from bookings_active_hotel_stay in one scan.
# The stay is written daterange(check_in, check_out), the index's own expression (StayNights),
# which no other index matches. Ids are cast to bigint: btree_gist has no integer-to-bigint
# operator, and an uncast literal would leave the hotel out of that index's condition.
ROOMS_LEFT_SQL = """
    SELECT room.room_type_id, count(*)
    FROM hotels_room room
    WHERE room.hotel_id = %(hotel)s::bigint AND room.in_service AND NOT room.is_deleted
      AND (%(room_type)s::bigint IS NULL OR room.room_type_id = %(room_type)s::bigint)
      AND room.id NOT IN (
        SELECT booking.room_id
        FROM bookings_booking booking
        WHERE booking.hotel_id = %(hotel)s::bigint AND NOT booking.is_deleted
          AND booking.status IN ('held', 'confirmed', 'checked_in')
          AND daterange(booking.check_in, booking.check_out) && daterange(%(check_in)s, %(check_out)s)
      )
      AND room.id NOT IN (
        SELECT block.room_id
        FROM bookings_roomblock block
        WHERE block.hotel_id = %(hotel)s::bigint AND NOT block.is_deleted
          AND daterange(block.start, block."end") && daterange(%(check_in)s, %(check_out)s)
      )
    GROUP BY room.room_type_id
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
    """Rooms left per room type: rooms in service that no active booking nor block overlaps on any night of the stay.

    One query. The hotel's active bookings overlapping the stay come from one
    scan of the partial GiST index on (hotel, stay); the rooms not among them
    are counted by type. A sold-out type is missing from the answer (0 left).
    """
    params = {"hotel": hotel_id, "room_type": room_type_id, "check_in": check_in, "check_out": check_out}
    with connection.cursor() as cursor:
        cursor.execute(ROOMS_LEFT_SQL, params)
        return dict(cursor.fetchall())


def _rate_rules_for_stay(*, hotel_id: int, check_in: date, check_out: date) -> dict[int, list[RateRule]]:
    """Per room type, the live rate overrides touching a night of the stay, in one query."""
    params = {"hotel": hotel_id, "check_in": check_in, "last_night": date.fromordinal(check_out.toordinal() - 1)}
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
    room_types = [
        room_type for room_type in shown if room_type.max_adults >= adults and room_type.max_children >= children
    ]
    if not room_types:
        message = f"No room at {hotel.name} takes {adults} adult(s) and {children} child(ren)."
        raise ValidationFailed(message, fields={"adults": [message], "children": [message]})
    rooms_left = rooms_left_by_type(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)
    rules = _rate_rules_for_stay(hotel_id=hotel.pk, check_in=check_in, check_out=check_out)

    results = []
    for room_type in room_types:
        common = {
            "room_type": room_type,
            "check_in": check_in,
            "check_out": check_out,
            "adults": adults,
            "children": children,
            "overrides": rules.get(room_type.pk, ()),
            "tax_rate": hotel.tax_rate,
            "currency": hotel.currency,
        }
        quote = quote_stay(**common)
        offer_note = ""
        if offer is not None:
            offer_note = offer.stay_problem(room_type_id=room_type.pk, check_in=check_in, check_out=check_out) or ""
            if not offer_note:
                quote = quote_stay(**common, offer=offer, booked_at=now)
        else:
            quote = _best_automatic(quote, common, automatic, hotel=hotel, now=now)
        restriction = ""
        if quote.closed_to_arrival:
            restriction = "Arrivals are closed on this date for this room type."
        elif quote.night_count < quote.min_nights:
            restriction = f"Stays arriving on this date need at least {quote.min_nights} nights."
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
    common = {
        "room_type": room_type,
        "check_in": check_in,
        "check_out": check_out,
        "adults": adults,
        "children": children,
        "overrides": rules.get(room_type.pk, ()),
        "tax_rate": hotel.tax_rate,
        "currency": hotel.currency,
    }
    if offer is not None:
        return quote_stay(**common, offer=offer, booked_at=now)
    return _best_automatic(quote_stay(**common), common, _automatic_offers(hotel=hotel), hotel=hotel, now=now)


def _best_automatic(
    quote: Quote, common: dict[str, Any], offers: list[OfferTerms], *, hotel: Hotel, now: datetime
) -> Quote:
    """Offers without a code apply by themselves: the guest gets the largest discount that holds."""
    best = quote
    for offer in offers:
        if offer.general_problem(hotel_id=hotel.pk, booked_at=now) or offer.stay_problem(
            room_type_id=common["room_type"].pk, check_in=common["check_in"], check_out=common["check_out"]
        ):
            continue
        candidate = quote_stay(**common, offer=offer, booked_at=now)
        if candidate.discount > best.discount:
            best = candidate
    return best
