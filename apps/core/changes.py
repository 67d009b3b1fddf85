"""Partial updates with typed keywords: `UNSET` is "the caller did not give this field" (None may be a value).

def room_update(*, room: Room, floor: int | Unset = UNSET, notes: str | Unset = UNSET) -> Room:
    for name, value in given(floor=floor, notes=notes).items():
        setattr(room, name, value)
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Final


class Unset(Enum):
    UNSET = "unset"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET


def given(**values: Any) -> dict[str, Any]:
    """The keywords the caller gave, in their order."""
    return {name: value for name, value in values.items() if value is not UNSET}
