"""The front desk as a provider: cash and card-terminal payments recorded by staff, taken at once."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from apps.payments.providers import Checkout, InvalidWebhook, PaymentProvider, ProviderEvent, ProviderRefund

if TYPE_CHECKING:
    from apps.payments.models import Payment


class DeskProvider(PaymentProvider):
    name = "desk"
    online = False

    def start_checkout(self, *, payment: Payment) -> Checkout:
        # The money is already in the drawer or through the terminal: nowhere to send anyone.
        return Checkout(provider_reference=f"desk_{uuid.uuid4().hex}", redirect_url="")

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], now: datetime | None = None) -> ProviderEvent:
        raise InvalidWebhook("The front desk sends no webhooks.")

    def refund(self, *, payment: Payment, amount: Decimal, idempotency_key: str) -> ProviderRefund:
        # Handed back at the desk (cash or a terminal refund); the approval is the record.
        return ProviderRefund(provider_reference=f"desk_{idempotency_key}")
