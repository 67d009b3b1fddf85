"""Reads of the catalogue: public lists, staff-scoped lists, and availability with its quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone

from apps.accounts.permissions import scope_queryset
from apps.core.errors import NotFound, ValidationFailed
from apps.hotels.cache import cached
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.pricing import InvalidOffer, OfferTerms, Quote, quote_stay
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


def _automatic_offers(*, hotel: Hotel) -> list[OfferTerms]:
    """The hotel's offers without a code, as plain terms, cached with the catalogue.

    An offer change, or an offer used up, bumps the catalogue's generation.
    """
    from apps.offers.models import Offer

    def load() -> list[OfferTerms]:
        offers = (
            Offer.objects.filter(Q(hotel=hotel) | Q(hotel__isnull=True), code__isnull=True, is_active=True)
            .prefetch_related("room_types")
            .order_by("pk")
        )
        return [OfferTerms.of(offer) for offer in offers]

    return cached(f"automatic-offers:{hotel.pk}", load)


def rooms_left_expression(*, check_in: date, check_out: date) -> Coalesce:
    """Rooms of the outer room type in service with no active booking overlapping the stay.

    The NOT EXISTS probe (room = outer room, active, stay && [check_in, check_out))
    matches the exclusion constraint's partial GiST index on (room, daterange).
    """
    from apps.bookings.models import Booking, StayRange

    overlapping = (
        Booking.objects.filter(room=OuterRef("pk"), status__in=Booking.ACTIVE_STATUSES)
        .alias(stay=StayRange())
        .filter(stay__overlap=DateRange(check_in, check_out, "[)"))
    )
    free_rooms = (
        Room.objects.filter(room_type=OuterRef("pk"), in_service=True)
        .filter(~Exists(overlapping))
        .order_by()
        .values("room_type")
        .annotate(free=Count("pk"))
        .values("free")
    )
    return Coalesce(Subquery(free_rooms), 0)


def availability_queryset(
    *, hotel: Hotel, check_in: date, check_out: date, adults: int, children: int
) -> QuerySet[RoomType]:
    """Room types that fit the party, with rooms_left and the rate overrides touching the stay."""
    last_night = date.fromordinal(check_out.toordinal() - 1)
    return (
        RoomType.objects.filter(hotel=hotel, max_adults__gte=adults, max_children__gte=children)
        .annotate(rooms_left=rooms_left_expression(check_in=check_in, check_out=check_out))
        .prefetch_related(
            Prefetch(
                "rate_overrides",
                queryset=RateOverride.objects.filter(starts_on__lte=last_night, ends_on__gte=check_in),
                to_attr="stay_overrides",
            ),
        )
        .order_by("base_rate", "name")
    )


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

    A constant number of queries whatever the rooms, room types and nights:
    room types with their rooms_left, their overlapping rate overrides, and
    the offer asked for (or the hotel's automatic offers) with its room types.
    """
    now = now or timezone.now()
    validate_stay(hotel=hotel, check_in=check_in, check_out=check_out, adults=adults, children=children, now=now)
    offer = offer_find(code=offer_code, hotel=hotel) if offer_code else None
    if offer is not None:
        problem = offer.general_problem(hotel_id=hotel.pk, booked_at=now)
        if problem:
            raise InvalidOffer(problem, fields={"offer_code": [problem]})
    automatic = _automatic_offers(hotel=hotel) if offer is None else []

    room_types = list(
        availability_queryset(hotel=hotel, check_in=check_in, check_out=check_out, adults=adults, children=children)
    )
    if not room_types:
        message = f"No room at {hotel.name} takes {adults} adult(s) and {children} child(ren)."
        raise ValidationFailed(message, fields={"adults": [message], "children": [message]})

    results = []
    for room_type in room_types:
        common = {
            "room_type": room_type,
            "check_in": check_in,
            "check_out": check_out,
            "adults": adults,
            "children": children,
            "overrides": room_type.stay_overrides,
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
                rooms_left=room_type.rooms_left,
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
    last_night = date.fromordinal(check_out.toordinal() - 1)
    common = {
        "room_type": room_type,
        "check_in": check_in,
        "check_out": check_out,
        "adults": adults,
        "children": children,
        "overrides": list(
            RateOverride.objects.filter(room_type=room_type, starts_on__lte=last_night, ends_on__gte=check_in)
        ),
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
