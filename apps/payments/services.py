"""Taking money for a booking: online through the provider (settled only by its signed webhook) or at the desk.

Every charge happens once: a webhook event id is accepted once (a unique
row), a payment succeeds once, and a payment the booking no longer needs
(it was cancelled, or already paid, or its room went while the guest was
paying) goes back automatically. A successful payment confirms the held
booking in the same transaction. Locks: room type → booking → payment.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.bookings.lock_objects import lock_booking, lock_room_types
from apps.bookings.models import Booking
from apps.bookings.policy import deposit_due
from apps.bookings.services import booking_check_in, booking_check_out, booking_confirm, booking_rehold
from apps.core.errors import ErrorCode, InvalidState, NotFound, ValidationFailed
from apps.core.templatetags.l10n_money import format_money
from apps.hotels.models import Room
from apps.hotels.pricing import ZERO
from apps.payments.lock_objects import lock_payment, lock_payments
from apps.payments.models import Payment, WebhookEvent
from apps.payments.notifications import payment_notify
from apps.payments.ports import give_back
from apps.payments.providers import (
    PAYMENT_SUCCEEDED,
    InvalidWebhook,
    ProviderEvent,
    UnknownProvider,
    get_provider,
    online_provider,
)
from apps.payments.selectors import booking_balance, payable_problem

logger = logging.getLogger("hbs.payments")
Status = Payment.Status
# Why a payment goes back by itself: kept in English on the refund, shown in the reader's language.
ROOM_TAKEN = gettext_noop("Your hold expired before the payment arrived and the room was taken.")
CANCELLED_FIRST = gettext_noop("The booking was cancelled before the payment arrived.")
ALREADY_PAID = gettext_noop("The booking was already paid.")
DECLINED = gettext_noop("The payment was declined.")


@dataclass(frozen=True)
class OnlinePayment:
    payment: Payment
    redirect_url: str


def _amount_to_pay(*, booking: Booking, amount: Decimal | None) -> Decimal:
    """`amount`, or the balance due; never more than is due (under the caller's booking lock)."""
    due = booking_balance(booking=booking).due
    if due <= 0:
        raise InvalidState(_("Nothing is due on this booking."))
    if amount is None:
        return due
    if amount <= 0:
        raise ValidationFailed(
            _("The amount must be more than zero."), fields={"amount": [_("Must be more than zero.")]}
        )
    if amount > due:
        message = _("At most %(amount)s is due.") % {"amount": format_money(due, booking.currency)}
        raise ValidationFailed(message, fields={"amount": [message]})
    return amount


def _check_payable(booking: Booking, now: datetime, *, desk: bool = False) -> None:
    problem = payable_problem(booking=booking, now=now, desk=desk)
    if problem:
        raise InvalidState(problem)


def payment_start_online(
    *,
    booking: Booking,
    started_by: User,
    amount: Decimal | None = None,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> OnlinePayment:
    """A pending payment with the online provider, and the page where the guest pays it.

    An unfinished checkout of the same amount is handed out again rather than
    opening a second one, so pressing "Pay" twice never leads to two charges.
    """
    now = now or timezone.now()
    try:
        provider = online_provider()
    except UnknownProvider as error:
        message = _("Online payment is not offered here: pay at the hotel or at the desk.")
        raise ValidationFailed(message, fields={"method": [message]}) from error
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        _check_payable(booking, now)
        amount = _amount_to_pay(booking=booking, amount=amount)
        unfinished = (
            Payment.objects.filter(
                booking=booking,
                provider=provider.name,
                amount=amount,
                status__in=[Status.PENDING, Status.FAILED],
            )
            .order_by("-pk")
            .first()
        )
        if unfinished is not None:
            return OnlinePayment(payment=unfinished, redirect_url=provider_page(unfinished))
        payment = Payment(
            booking=booking,
            amount=amount,
            currency=booking.currency,
            method=Payment.Method.ONLINE,
            provider=provider.name,
            status=Status.PENDING,
            idempotency_key=idempotency_key[:255],
            created_by=started_by,
        )
        checkout = provider.start_checkout(payment=payment)
        payment.provider_reference = checkout.provider_reference
        payment.save()
    return OnlinePayment(payment=payment, redirect_url=checkout.redirect_url)


def provider_page(payment: Payment) -> str:
    """Where the guest finishes an online payment (the simulated page for the simulated provider)."""
    from django.urls import reverse

    if payment.provider == "simulated":
        return reverse("payments:simulated-page", args=[payment.provider_reference])
    return ""


def payment_record_desk(
    *,
    booking: Booking,
    method: str,
    recorded_by: User,
    amount: Decimal | None = None,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Payment:
    """Cash or a card-terminal payment taken by the desk: succeeded at once; a held booking is confirmed."""
    now = now or timezone.now()
    if method not in Payment.DESK_METHODS:
        raise ValidationFailed(
            _("The desk records cash or card terminal payments."), fields={"method": [_("Not a desk method.")]}
        )
    provider = get_provider("desk")
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        lock_payments(booking.pk)
        _check_payable(booking, now, desk=True)
        amount = _amount_to_pay(booking=booking, amount=amount)
        payment = Payment(
            booking=booking,
            amount=amount,
            currency=booking.currency,
            method=method,
            provider=provider.name,
            status=Status.SUCCEEDED,
            succeeded_at=now,
            idempotency_key=idempotency_key[:255],
            created_by=recorded_by,
        )
        payment.provider_reference = provider.start_checkout(payment=payment).provider_reference
        payment.save()
        if booking.status == Booking.Status.HELD and covers_deposit(booking):
            booking_confirm(booking=booking, method=method, details={"payment": payment.pk}, paid=True)
        payment_notify(payment=payment, booking=booking, event="received")
    return payment


# --- Webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    replayed: bool
    outcome: str
    payment: Payment | None = None


class _NeedsRoomTypeLock(Exception):
    """The booking's hold expired: re-holding a room needs the room type lock, which comes before the booking's."""


def payment_webhook_receive(
    *, provider: str, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> WebhookResult:
    """A provider's signed event. Bad or stale signature → 400 and nothing read; a replayed event id → no effect.

    A success takes the payment and settles its booking in one transaction.
    """
    try:
        implementation = get_provider(provider)
    except UnknownProvider as error:
        raise NotFound(_("There is no such payment provider.")) from error
    try:
        event = implementation.parse_webhook(body=body, headers=headers, now=now)
    except InvalidWebhook as error:
        raise ValidationFailed(str(error), code=ErrorCode.INVALID_SIGNATURE) from error
    now = now or timezone.now()
    payment = Payment.objects.filter(provider=provider, provider_reference=event.provider_reference).first()
    if payment is None:
        # An event for a payment we never started (another system's, or a test): acknowledged, recorded, ignored.
        return _record_only(provider=provider, event=event, outcome="unknown_payment")
    try:
        return _apply_event(provider=provider, event=event, payment_id=payment.pk, now=now, room_type_locked=False)
    except _NeedsRoomTypeLock:
        return _apply_event(provider=provider, event=event, payment_id=payment.pk, now=now, room_type_locked=True)


def _claim_event(*, provider: str, event: ProviderEvent, payment: Payment | None) -> WebhookEvent | None:
    """The event's row, or None when this event id was already accepted (a replay)."""
    try:
        with transaction.atomic():
            return WebhookEvent.objects.create(
                provider=provider, event_id=event.event_id, kind=event.kind, payment=payment, payload=event.payload
            )
    except IntegrityError:
        return None


def _record_only(*, provider: str, event: ProviderEvent, outcome: str) -> WebhookResult:
    with transaction.atomic():
        row = _claim_event(provider=provider, event=event, payment=None)
        if row is None:
            return WebhookResult(event_id=event.event_id, replayed=True, outcome="replayed")
        row.outcome = outcome
        row.save(update_fields=["outcome", "updated_at"])
    return WebhookResult(event_id=event.event_id, replayed=False, outcome=outcome)


def _apply_event(
    *, provider: str, event: ProviderEvent, payment_id: int, now: datetime, room_type_locked: bool
) -> WebhookResult:
    with transaction.atomic():
        payment = Payment.objects.select_related("booking").get(pk=payment_id)
        if room_type_locked:
            lock_room_types([payment.booking.room_type_id])
        booking = lock_booking(payment.booking_id)
        payment = lock_payment(payment_id)
        row = _claim_event(provider=provider, event=event, payment=payment)
        if row is None:
            return WebhookResult(event_id=event.event_id, replayed=True, outcome="replayed", payment=payment)
        if event.amount != payment.amount or event.currency != payment.currency:
            logger.warning("webhook amount differs from the payment", extra={"payment": payment.pk})
            outcome = "amount_mismatch"
        elif event.kind == PAYMENT_SUCCEEDED:
            outcome = _take(payment=payment, booking=booking, event=event, now=now, room_type_locked=room_type_locked)
        else:
            outcome = _decline(payment=payment, booking=booking, event=event)
        row.outcome = outcome
        row.save(update_fields=["outcome", "updated_at"])
    return WebhookResult(event_id=event.event_id, replayed=False, outcome=outcome, payment=payment)


def _decline(*, payment: Payment, booking: Booking, event: ProviderEvent) -> str:
    """A declined card: the payment fails (the guest may try again on the same page); the hold is untouched."""
    if payment.status not in (Status.PENDING, Status.FAILED):
        return "ignored_already_taken"
    payment.status = Status.FAILED
    payment.failure_message = event.failure_message or DECLINED
    payment.card_last4 = _last4(event.card_last4)
    payment.save(update_fields=["status", "failure_message", "card_last4", "updated_at"])
    payment_notify(payment=payment, booking=booking, event="failed")
    return "failed"


def _last4(value: str) -> str:
    return value if re.fullmatch(r"[0-9]{4}", value or "") else ""


def _take(*, payment: Payment, booking: Booking, event: ProviderEvent, now: datetime, room_type_locked: bool) -> str:
    if payment.status in Payment.TAKEN_STATUSES:
        return "ignored_already_taken"  # a second success event of one payment (another event id)
    if booking.status == Booking.Status.EXPIRED and not room_type_locked:
        raise _NeedsRoomTypeLock
    paid_before = booking_balance(booking=booking).paid
    payment.status = Status.SUCCEEDED
    payment.succeeded_at = now
    payment.failure_message = ""
    payment.card_last4 = _last4(event.card_last4)
    payment.save(update_fields=["status", "succeeded_at", "failure_message", "card_last4", "updated_at"])
    payment_notify(payment=payment, booking=booking, event="received")
    return _settle(payment=payment, booking=booking, paid_before=paid_before, now=now)


def _settle(*, payment: Payment, booking: Booking, paid_before: Decimal, now: datetime) -> str:
    """What a taken payment does to its booking."""
    if booking.status == Booking.Status.HELD:
        if not covers_deposit(booking):
            return "paid_toward_deposit"  # still held: the hold's clock runs until the deposit is in
        booking_confirm(booking=booking, method=payment.method, details={"payment": payment.pk}, paid=True)
        return "confirmed"
    if booking.status == Booking.Status.EXPIRED:
        if booking_rehold(booking=booking, now=now, details={"payment": payment.pk}):
            if not covers_deposit(booking):
                return "reheld_toward_deposit"
            booking_confirm(booking=booking, method=payment.method, details={"payment": payment.pk}, paid=True)
            return "reheld_confirmed"
        _give_back(payment=payment, reason=ROOM_TAKEN)
        return "refunded_room_taken"
    if booking.status in (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN) and paid_before < booking.total:
        return "paid_toward_stay"
    if booking.status == Booking.Status.CANCELLED:
        _give_back(payment=payment, reason=CANCELLED_FIRST)
        return "refunded_cancelled"
    if booking.status in (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN):
        _give_back(payment=payment, reason=ALREADY_PAID)
        return "refunded_already_paid"
    return "kept"  # a late payment toward a finished stay (checked out, no-show) stays with the hotel


def covers_deposit(booking: Booking) -> bool:
    """A held booking is confirmed by money only once what was paid covers the hotel's deposit (and is more than
    nothing): a 0.01 payment does not guarantee a room."""
    paid = booking_balance(booking=booking).paid
    return paid > ZERO and paid >= deposit_due(booking)


def _give_back(*, payment: Payment, reason: str) -> None:
    give_back.call(payment=payment, reason=reason)


# --- The desk's check-in and check-out, with the balance in the same step ------------------------------


@dataclass(frozen=True)
class DeskResult:
    booking: Booking
    payment: Payment | None


def amount_due_locked(*, booking: Booking) -> Decimal:
    """The balance due with the booking's payments locked (the booking's row is locked already): a payment
    landing meanwhile waits, so a check-out that finds nothing due cannot miss one."""
    lock_payments(booking.pk)
    return booking_balance(booking=booking).due


def desk_check_in(
    *,
    booking: Booking,
    room: Room | None,
    recorded_by: User,
    method: str = "",
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> DeskResult:
    """Checks the guest in (into `room` when the desk changed it) and, with `method`, takes money at the desk.

    One transaction: a payment that cannot be taken leaves the guest not checked in, and the other way
    round. Locks in the house order: room type (a room change), booking, then payments.
    """
    with transaction.atomic():
        checked_in = booking_check_in(booking=booking, room=room, now=now)
        payment = None
        if method:
            payment = payment_record_desk(
                booking=checked_in, method=method, amount=amount, recorded_by=recorded_by, now=now
            )
    return DeskResult(booking=checked_in, payment=payment)


def desk_check_out(
    *,
    booking: Booking,
    recorded_by: User,
    method: str = "",
    amount: Decimal | None = None,
    leave_open_reason: str = "",
    now: datetime | None = None,
) -> DeskResult:
    """Takes the balance at the desk with `method`, then checks the guest out (booking_check_out's rule: the
    balance settled, or left open with a reason). One transaction: a refused check-out takes no money."""
    with transaction.atomic():
        locked = lock_booking(booking.pk)
        payment = None
        if method:
            payment = payment_record_desk(
                booking=locked, method=method, amount=amount, recorded_by=recorded_by, now=now
            )
        checked_out = booking_check_out(booking=locked, now=now, leave_open_reason=leave_open_reason)
    return DeskResult(booking=checked_out, payment=payment)
