"""What the catalogue needs of the booking engine above it, as a port bookings provides (apps/core/ports.py).

A room with a current or future active stay must not go: the guests were
promised it. Only the booking engine knows the stays. Rooms inserted in bulk send
no signal: the engine's inventory is told of them through a port too.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from apps.core.ports import Port

if TYPE_CHECKING:
    from collections.abc import Iterable

    from apps.hotels.models import Hotel, Room


class RoomHasStays(Protocol):
    def __call__(self, *, room: Room, today: date) -> bool:
        """True when an active stay on `room` has not ended by the hotel's `today`."""


room_has_stays: Port[RoomHasStays] = Port("hotels.ports.room_has_stays")


class RoomSupplyChanged(Protocol):
    def __call__(self, *, hotel: Hotel, room_type_ids: Iterable[int]) -> None:
        """Rooms of these types came or went: the booking engine recounts what it can sell, in this transaction."""


room_supply_changed: Port[RoomSupplyChanged] = Port("hotels.ports.room_supply_changed")
