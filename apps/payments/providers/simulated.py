"""The simulated provider: a hosted test-card page on our own site that pays through a signed webhook.

It behaves like a real provider: the page at /pay/sim/<token>/ takes a test
card and then delivers a webhook signed with HMAC-SHA256 over
"<timestamp>.<body>" (header `HBS-Signature: t=<unix seconds>,v1=<hex>`),
each event with a unique id. Our webhook endpoint verifies that signature
before anything changes, so the signed path is the only way a payment
succeeds — the page itself never touches a Payment row.

Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
4000 0027 6000 3184 needs 3-D Secure (a confirm step, then succeeds).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_noop

from apps.payments.providers import (
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    Checkout,
    InvalidWebhook,
    PaymentProvider,
    ProviderEvent,
    ProviderRefund,
)

if TYPE_CHECKING:
    from apps.payments.models import Payment

SIGNATURE_HEADER = "HBS-Signature"
NAME = "simulated"


class CardOutcome(StrEnum):
    SUCCEEDS = "succeeds"
    DECLINED = "declined"
    NEEDS_3DS = "needs_3ds"


TEST_CARDS = {
    "4242424242424242": CardOutcome.SUCCEEDS,
    "4000000000000002": CardOutcome.DECLINED,
    "4000002760003184": CardOutcome.NEEDS_3DS,
}
DECLINED_MESSAGE = gettext_noop("Your card was declined. No money was taken; please try another card.")
AUTHENTICATION_FAILED_MESSAGE = gettext_noop("The payment was not confirmed with your bank. No money was taken.")


def card_outcome(number: str) -> CardOutcome | None:
    return TEST_CARDS.get("".join(number.split()))


def _secret() -> bytes:
    return settings.PAYMENT_WEBHOOK_SECRET.encode()


def signature(*, body: bytes, timestamp: int, secret: bytes | None = None) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret or _secret(), signed, hashlib.sha256).hexdigest()


def signature_header(*, body: bytes, timestamp: int | None = None, secret: bytes | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(body=body, timestamp=timestamp, secret=secret)}"


def _parse_header(value: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        key, _, item = part.strip().partition("=")
        if key == "t" and item.isdigit():
            timestamp = int(item)
        elif key == "v1" and item:
            signatures.append(item)
    if timestamp is None or not signatures:
        raise InvalidWebhook(f"The {SIGNATURE_HEADER} header is missing or malformed.")
    return timestamp, signatures


def verify(*, body: bytes, header: str, now: datetime | None = None) -> None:
    """The rule: a v1 signature over "t.body" with our secret, made within the tolerance (either way)."""
    timestamp, signatures = _parse_header(header)
    current = int(now.timestamp()) if now else int(time.time())
    if abs(current - timestamp) > settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS:
        raise InvalidWebhook("The webhook's signature is too old (or from the future).")
    expected = signature(body=body, timestamp=timestamp)
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise InvalidWebhook("The webhook's signature does not match.")


def event_body(
    *, payment: Payment, kind: str, card_last4: str = "", failure_message: str = "", event_id: str | None = None
) -> bytes:
    """The JSON a provider would post for `payment`."""
    event = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "type": kind,
        "created": int(time.time()),
        "data": {
            "reference": payment.provider_reference,
            "amount": f"{payment.amount:.2f}",
            "currency": payment.currency,
            "card_last4": card_last4,
            "failure_message": failure_message,
        },
    }
    return json.dumps(event, separators=(",", ":")).encode()


class SimulatedProvider(PaymentProvider):
    name = NAME
    online = True

    def start_checkout(self, *, payment: Payment) -> Checkout:
        token = secrets.token_urlsafe(24)
        return Checkout(provider_reference=token, redirect_url=reverse("payments:simulated-page", args=[token]))

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], now: datetime | None = None) -> ProviderEvent:
        verify(body=body, header=headers.get(SIGNATURE_HEADER, ""), now=now)
        try:
            event: Any = json.loads(body)
            data = event["data"]
            kind = str(event["type"])
            parsed = ProviderEvent(
                event_id=str(event["id"])[:100],
                kind=kind,
                provider_reference=str(data["reference"])[:100],
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
                card_last4=str(data.get("card_last4") or "")[-4:],
                failure_message=str(data.get("failure_message") or "")[:200],
                payload=event,
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise InvalidWebhook("The webhook's body is not an event.") from error
        if parsed.kind not in (PAYMENT_SUCCEEDED, PAYMENT_FAILED):
            raise InvalidWebhook(f"Unknown event type {parsed.kind!r}.")
        return parsed

    def refund(self, *, payment: Payment, amount: Decimal, idempotency_key: str) -> ProviderRefund:
        # A real provider would be called with `idempotency_key`; the simulator always pays out.
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        return ProviderRefund(provider_reference=f"re_{digest}")
