"""What payments need of the refunds app above them, as a port it provides (see apps/core/ports.py).

A payment the booking no longer needs (cancelled meanwhile, already paid, its
room gone while the guest paid) goes back whole at once; the refunds app
writes that refund.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from apps.core.ports import Port

if TYPE_CHECKING:
    from apps.payments.models import Payment


class GiveBack(Protocol):
    def __call__(self, *, payment: Payment, reason: str) -> object:
        """Refunds the whole payment, approved by the system, in the caller's transaction (locks held)."""


give_back: Port[GiveBack] = Port("payments.ports.give_back")
