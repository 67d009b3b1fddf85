"""Demo data of the apps above the command: each registers a seeder from its AppConfig.ready().

`seed_demo` (in this app) seeds accounts, catalogue and stays itself, then runs
these in order with the accounts and hotels it made, so an upper app's demo
rows (reviews, tickets) come along without this app importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Seeder = Callable[..., int]

_seeders: dict[str, tuple[int, Seeder]] = {}


def register(name: str, seeder: Seeder, *, order: int = 100) -> None:
    """`seeder(users={email: User}, hotels=[Hotel, ...]) -> rows made`; idempotent, as seed_demo is."""
    _seeders[name] = (order, seeder)


def seeders() -> list[tuple[str, Seeder]]:
    return [(name, seeder) for name, (_order, seeder) in sorted(_seeders.items(), key=lambda item: item[1][0])]


def run_seeders(*, users: dict[str, Any], hotels: list[Any]) -> dict[str, int]:
    return {name: seeder(users=users, hotels=hotels) for name, seeder in seeders()}
