"""A rule of a lower app that needs an answer only an upper app has, without the lower app importing it.

The booking engine sits below payments and refunds, yet a cancellation's terms
need what the guest paid, and its refund must be proposed. The lower app keeps
the rule and declares the one function it needs as a `Port` with a typed
signature; the upper app provides it from its `AppConfig.ready()`. The import
contracts (pyproject.toml) stay one-directional, and a port nobody provided is
a loud `ImproperlyConfigured`, never a silent default.

    # apps/bookings/money.py
    class PaidSoFar(Protocol):
        def __call__(self, *, booking: Booking) -> Decimal: ...
    paid_so_far: Port[PaidSoFar] = Port("bookings.paid_so_far")

    # apps/payments/apps.py, in ready()
    paid_so_far.provide(refundable_amount)

    # apps/bookings/policy.py
    paid = paid_so_far.call(booking=booking)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Port[F: Callable[..., Any]]:
    def __init__(self, name: str) -> None:
        self.name = name
        self._implementation: F | None = None

    def provide(self, implementation: F) -> None:
        self._implementation = implementation

    @property
    def call(self) -> F:
        if self._implementation is None:
            raise ImproperlyConfigured(f"Nothing provides {self.name}: the app that answers it is not installed.")
        return self._implementation
