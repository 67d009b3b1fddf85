"""Row locks for the booking engine, always taken in one order: room type → guest → booking (→ payment).

Every write that can change which rooms are taken (create, change dates,
assign a room, check in to another room) first locks the room type(s)
involved, in id order. Writers of one room type therefore queue up, each sees
what the previous one committed, and two services can never wait on each
other in a circle. The exclusion constraint stays the last word.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.bookings.models import Booking
from apps.core.errors import NotFound
from apps.hotels.models import RoomType


def lock_room_types(ids: Iterable[int]) -> list[int]:
    """Locks the room types (only their ids are read: the lock is the point) and returns the ids locked."""
    wanted = sorted(set(ids))
    locked = RoomType.objects.select_for_update(of=("self",), no_key=True).filter(pk__in=wanted).order_by("pk")
    return list(locked.values_list("pk", flat=True))


def lock_guest(pk: int) -> None:
    """Locks the guest's row (between the room types and the booking): the cap of unpaid rooms per guest counts
    what the guest's other holds committed."""
    list(User.objects.select_for_update(of=("self",), no_key=True).filter(pk=pk).values_list("pk", flat=True))


def lock_booking(pk: int) -> Booking:
    """The booking, locked, with what its checks need (hotel, room type, room) loaded alongside.

    The row is locked on its own first, then read with its relations: a lock taken through a join waits for
    a writer that changes the joined key (a room move) and then re-checks the join against the row it read
    before, finding nothing, as if the booking were gone.
    """
    locked = list(Booking.objects.select_for_update(of=("self",)).filter(pk=pk).values_list("pk", flat=True))
    booking = Booking.objects.select_related("hotel", "room_type", "room", "guest", "offer").filter(pk=pk).first()
    if not locked or booking is None:
        raise NotFound(_("There is no booking with this reference."))
    return booking
