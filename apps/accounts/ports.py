"""What accounts need of the catalogue above them, as a port the hotels app provides (apps/core/ports.py).

Staff rights are held at hotels (guardian object permissions on hotels.Hotel);
`auth/me/` names those hotels by slug, which only the catalogue knows.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from apps.core.ports import Port


class HotelSlugs(Protocol):
    def __call__(self, *, hotel_ids: Collection[int]) -> dict[int, str]:
        """The slug of each live hotel among `hotel_ids` (deleted hotels are left out)."""


hotel_slugs: Port[HotelSlugs] = Port("accounts.ports.hotel_slugs")
