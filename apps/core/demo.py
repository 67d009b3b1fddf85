"""Demo seeders that apps above core add to `seed_demo` without core importing them.

An app registers `seed(*, users, hotels) -> int` from its AppConfig.ready();
seed_demo runs them in `order`, after the accounts, catalogue and stays, in
the same transaction. Each must be idempotent, as seed_demo is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Seeder = Callable[..., int]
_seeders: dict[str, tuple[int, Seeder]] = {}


def register_seeder(name: str, seeder: Seeder, *, order: int = 100) -> None:
    _seeders[name] = (order, seeder)


def run_seeders(**world: Any) -> dict[str, int]:
    """Runs every registered seeder with the demo world (users, hotels); returns what each made."""
    ordered = sorted(_seeders.items(), key=lambda item: (item[1][0], item[0]))
    return {name: seeder(**world) for name, (_order, seeder) in ordered}
