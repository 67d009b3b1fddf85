"""Reads of bookings, always scoped: a guest sees their own, staff the bookings of their hotels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.permissions import effective_permissions, scope_queryset, user_has_perm
from apps.bookings.models import BlockNights, Booking, RoomBlock, StayRange
from apps.core.errors import NotFound, PermissionDenied
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.selectors import rooms_left_by_type

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
        raise NotFound("There is no booking with this reference.")
    return booking


def booking_get_for_staff(*, user: Any, reference: str, perm: str) -> Booking:
    """For desk transitions: 404 outside the user's scope, 403 for the booking's own guest without `perm`."""
    booking = booking_get_for_user(user=user, reference=reference)
    if not user_has_perm(user, perm, booking.hotel):
        raise PermissionDenied("Only the hotel's staff can do this.")
    return booking


def booking_get_for_guest_or_staff(*, user: Any, reference: str, perm: str) -> Booking:
    """The guest acts on their own booking; anyone else needs `perm` at its hotel."""
    booking = booking_get_for_user(user=user, reference=reference)
    if booking.guest_id != user.pk and not user_has_perm(user, perm, booking.hotel):
        raise PermissionDenied("Only the guest or the hotel's staff can do this.")
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


def stay_rooms_left(*, room_type: RoomType, check_in: date, check_out: date) -> int:
    """What availability would say for this room type and stay (the same query, one type)."""
    found = rooms_left_by_type(
        hotel_id=room_type.hotel_id, check_in=check_in, check_out=check_out, room_type_id=room_type.pk
    )
    return found.get(room_type.pk, 0)


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
        raise NotFound("There is no such block among your hotels.")
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
