"""Reads of the catalogue: public lists and staff-scoped lists (availability is the booking engine's: bookings)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import scope_queryset
from apps.core.errors import NotFound
from apps.hotels.cache import cached
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType


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
        raise NotFound(_("There is no hotel with this name."))
    return hotel


def hotel_get_cached(*, slug: str) -> Hotel:
    """hotel_get for public reads (search): the catalogue cache's copy, shared, never to be changed.

    Writes (a booking, a staff change) read the row itself with hotel_get.
    """
    hotel = cached(f"hotel-row:{slug}", lambda: Hotel.objects.filter(slug=slug).first(), keep_local=True)
    if hotel is None:
        raise NotFound(_("There is no hotel with this name."))
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
        raise NotFound(_("There is no room type with this id."))
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
        raise NotFound(_("This hotel has no such room type."))
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
        raise NotFound(_("There is no hotel with this name among yours."))
    return hotel


def staff_room_type_get(*, user: Any, perm: str, room_type_id: int) -> RoomType:
    scoped = scope_queryset(user, perm, room_type_list_all(), scope_model=Hotel, path="hotel")
    room_type = scoped.filter(pk=room_type_id).first() if _valid_id(room_type_id) else None
    if room_type is None:
        raise NotFound(_("There is no room type with this id among your hotels."))
    return room_type


def staff_room_list(*, user: Any, perm: str, hotel: Hotel) -> QuerySet[Room]:
    rooms = Room.objects.filter(hotel=hotel).select_related("room_type")
    return scope_queryset(user, perm, rooms, scope_model=Hotel, path="hotel").order_by("number")


def staff_room_get(*, user: Any, perm: str, room_id: int) -> Room:
    rooms = Room.objects.select_related("room_type", "hotel")
    scoped = scope_queryset(user, perm, rooms, scope_model=Hotel, path="hotel")
    room = scoped.filter(pk=room_id).first() if _valid_id(room_id) else None
    if room is None:
        raise NotFound(_("There is no room with this id among your hotels."))
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
        raise NotFound(_("There is no rate with this id among your hotels."))
    return rate


def room_types_shown_key(hotel: Hotel) -> str:
    return f"room-types:{hotel.pk}"


def room_types_shown(*, hotel: Hotel) -> list[RoomType]:
    """room_type_list from the catalogue cache, for public pages: shared, never to be changed."""
    return cached(room_types_shown_key(hotel), lambda: list(room_type_list(hotel=hotel)), keep_local=True)


def hotel_slugs(*, hotel_ids: Collection[int]) -> dict[int, str]:
    """The slug of each live hotel among `hotel_ids` (accounts asks, to name the hotels of a user's grants)."""
    return dict(Hotel.objects.filter(pk__in=list(hotel_ids)).values_list("pk", "slug"))
