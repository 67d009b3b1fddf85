"""The payment-provider interface: what HBS asks of any provider, and how one is found by name.

A provider does three things: start a payment (and say where to send the
guest), verify and parse a webhook it sent, and refund part or all of a
payment. `simulated` (a local hosted test-card page) and `desk` (cash and
card terminal at the front desk) are the two today; a real provider such as
Stripe is one more module listed in settings.PAYMENT_PROVIDERS.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from apps.payments.models import Payment

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"


class InvalidWebhook(Exception):
    """The webhook's signature is missing, forged or stale, or its body is not an event we understand."""


class ProviderError(Exception):
    """The provider could not do it now (network, outage): the caller may try again later."""


class UnknownProvider(LookupError):
    pass


@dataclass(frozen=True)
class Checkout:
    """Where the guest goes to pay, and the provider's id for the payment."""

    provider_reference: str
    redirect_url: str


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook, in our words."""

    event_id: str
    kind: str  # PAYMENT_SUCCEEDED or PAYMENT_FAILED
    provider_reference: str
    amount: Decimal
    currency: str
    card_last4: str = ""
    failure_message: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderRefund:
    provider_reference: str


class PaymentProvider(ABC):
    name: str = ""
    #: True for providers that take money online (the guest is sent to them).
    online: bool = False

    @abstractmethod
    def start_checkout(self, *, payment: Payment) -> Checkout:
        """Registers the payment with the provider; the guest then goes to `redirect_url`."""

    @abstractmethod
    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], now: datetime | None = None) -> ProviderEvent:
        """Verifies the signature and parses the event; raises InvalidWebhook when either fails."""

    @abstractmethod
    def refund(self, *, payment: Payment, amount: Decimal, idempotency_key: str) -> ProviderRefund:
        """Sends `amount` of `payment` back; the same key never refunds twice. Raises ProviderError to retry."""


DESK = "desk"


@cache
def _provider(path: str) -> PaymentProvider:
    provider: PaymentProvider = import_string(path)()
    return provider


def enabled_provider_names() -> set[str]:
    """The desk, and the online provider when one is configured: no other provider answers anything."""
    return {DESK, settings.PAYMENT_ONLINE_PROVIDER} - {""}


def get_provider(name: str) -> PaymentProvider:
    path = settings.PAYMENT_PROVIDERS.get(name)
    if path is None or name not in enabled_provider_names():
        raise UnknownProvider(name)
    return _provider(path)


def online_payments_enabled() -> bool:
    return bool(settings.PAYMENT_ONLINE_PROVIDER)


def online_provider() -> PaymentProvider:
    if not online_payments_enabled():
        raise UnknownProvider("no online payment provider is configured")
    return get_provider(settings.PAYMENT_ONLINE_PROVIDER)
