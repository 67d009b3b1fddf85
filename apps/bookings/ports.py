"""What the booking engine needs of the money apps above it (payments, refunds), as ports they provide.

A cancellation's terms need what the guest has paid (less what went back), a
check-out what is still due, and the refund the policy proposes is written by
the refunds app. The rules stay
here and in `policy.py`; payments and refunds plug the two answers in from
their `AppConfig.ready()` (see apps/core/ports.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from apps.core.ports import Port

if TYPE_CHECKING:
    from apps.bookings.models import Booking


class PaidSoFar(Protocol):
    def __call__(self, *, booking: Booking) -> Decimal:
        """Taken less refunded or committed to a refund: the most a refund of this booking may be."""


class AmountDue(Protocol):
    def __call__(self, *, booking: Booking) -> Decimal:
        """What the guest still owes (total less money taken), read under the payments' row locks."""


class ProposeRefund(Protocol):
    def __call__(self, *, booking: Booking, amount: Decimal) -> object:
        """Writes the refund a cancellation or no-show owes the guest, in the caller's transaction."""


paid_so_far: Port[PaidSoFar] = Port("bookings.ports.paid_so_far")
amount_due: Port[AmountDue] = Port("bookings.ports.amount_due")
propose_refund: Port[ProposeRefund] = Port("bookings.ports.propose_refund")
