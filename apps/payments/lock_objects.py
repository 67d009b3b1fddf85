"""Payment row locks. The order is hotel → room type → room → booking → payment (→ refund):
a payment is locked only while its booking is already locked by the same transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.payments.models import Payment


def lock_payments(booking_id: int) -> list[Payment]:
    """Every payment of the booking (its row must be locked already), in id order."""
    return list(Payment.objects.select_for_update(of=("self",)).filter(booking_id=booking_id).order_by("pk"))


def lock_payment(pk: int) -> Payment:
    payment = Payment.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if payment is None:
        raise NotFound(_("There is no such payment."))
    return payment
