"""Refunds: asked for, decided by someone with the right (a second person above the threshold), paid by the worker.

Money adds up: a refund never exceeds what its payment has left (paid less
refunds requested, approved, processing or paid), checked under the
booking's and payments' row locks and again by the payments' check
constraint. Locks: booking → payment → refund.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm
from apps.bookings.lock_objects import lock_booking
from apps.bookings.models import Booking
from apps.core import context
from apps.core.errors import ErrorCode, InvalidState, PermissionDenied, ValidationFailed
from apps.core.templatetags.l10n_money import format_money
from apps.core.transactions import on_commit
from apps.payments.lock_objects import lock_payment, lock_payments
from apps.payments.models import Payment
from apps.payments.providers import ProviderError, UnknownProvider, get_provider
from apps.refunds.lock_objects import lock_refund
from apps.refunds.models import Refund
from apps.refunds.notifications import refund_notify

logger = logging.getLogger("hbs.refunds")
Status = Refund.Status
APPROVE = "refunds.approve_refund"
# Approved refunds whose task was lost (a worker died) are picked up again after this long.
LOST_AFTER = timedelta(minutes=5)


def _too_much(*, booking: Booking, amount: Decimal, refundable: Decimal) -> ValidationFailed:
    message = _("At most %(amount)s can be refunded (paid less refunds already asked).") % {
        "amount": format_money(refundable, booking.currency)
    }
    return ValidationFailed(message, fields={"amount": [message]})


def _commit(*, payment: Payment, amount: Decimal) -> None:
    payment.refund_committed += amount
    payment.save(update_fields=["refund_committed", "updated_at"])


def _new_refund(
    *, booking: Booking, payment: Payment, amount: Decimal, reason: str, source: str, requested_by: User | None
) -> Refund:
    _commit(payment=payment, amount=amount)
    return Refund.objects.create(
        booking=booking,
        payment=payment,
        amount=amount,
        currency=payment.currency,
        reason=reason.strip()[:500],
        source=source,
        status=Status.REQUESTED,
        requested_by=requested_by,
    )


def _taken(payments: list[Payment]) -> list[Payment]:
    """Payments money can go back through, newest first (the latest charge is returned first)."""
    return sorted((p for p in payments if p.status in Payment.TAKEN_STATUSES), key=lambda p: p.pk, reverse=True)


def refund_request(
    *, booking: Booking, amount: Decimal, reason: str, requested_by: User, source: str | None = None
) -> Refund:
    """A guest (own booking) or staff asks for `amount` back: at most paid - refunded - pending, through one payment."""
    if amount <= 0:
        raise ValidationFailed(
            _("The amount must be more than zero."), fields={"amount": [_("Must be more than zero.")]}
        )
    if source is None:
        source = Refund.Source.GUEST if requested_by.pk == booking.guest_id else Refund.Source.STAFF
    try:
        with transaction.atomic():
            booking = lock_booking(booking.pk)
            payments = _taken(lock_payments(booking.pk))
            refundable = sum((p.refundable for p in payments), Decimal("0.00"))
            if amount > refundable:
                raise _too_much(booking=booking, amount=amount, refundable=refundable)
            payment = next((p for p in payments if p.refundable >= amount), None)
            if payment is None:
                largest = max(p.refundable for p in payments)
                message = _(
                    "This booking was paid in parts; at most %(amount)s can go back in one request. "
                    "Please ask for the rest separately."
                ) % {"amount": format_money(largest, booking.currency)}
                raise ValidationFailed(message, fields={"amount": [message]})
            refund = _new_refund(
                booking=booking, payment=payment, amount=amount, reason=reason, source=source, requested_by=requested_by
            )
            refund_notify(refund=refund, booking=booking, event="requested")
            return refund
    except IntegrityError as error:
        # payments_refunds_within_amount: only reachable if a write bypassed the locks above.
        message = _("That refund would exceed what was paid.")
        raise ValidationFailed(message, fields={"amount": [message]}) from error


def refund_propose_for_cancellation(*, booking: Booking, amount: Decimal) -> list[Refund]:
    """The policy's refund on cancellation, as requests waiting for approval (inside the cancel's transaction).

    `amount` is what cancellation_terms proposed (paid - what the policy keeps),
    so the page, the API and the refund rows show the same number. Spread over
    the payments newest first when the stay was paid in parts.
    """
    actor = context.current().user
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        left = amount
        refunds = []
        for payment in _taken(lock_payments(booking.pk)):
            if left <= 0:
                break
            part = min(left, payment.refundable)
            if part <= 0:
                continue
            refunds.append(
                _new_refund(
                    booking=booking,
                    payment=payment,
                    amount=part,
                    # The guest's own words: the source already says it is the cancellation's refund, in the
                    # reader's language (an English "Cancellation:" here would reach every guest's email).
                    reason=booking.cancellation_reason,
                    source=Refund.Source.CANCELLATION,
                    requested_by=actor,
                )
            )
            left -= part
        for refund in refunds:
            refund_notify(refund=refund, booking=booking, event="requested")
        if left > 0:
            refundable = amount - left
            raise _too_much(booking=booking, amount=amount, refundable=refundable)
    return refunds


def refund_create_automatic(*, payment: Payment, reason: str) -> Refund:
    """A payment the booking no longer needs goes back whole, approved by the system (caller holds the locks).

    No person decides here — money that should not have been taken is returned — so four-eyes does not apply.
    """
    now = timezone.now()
    amount = payment.amount - payment.refund_committed
    _commit(payment=payment, amount=amount)
    refund = Refund.objects.create(
        booking_id=payment.booking_id,
        payment=payment,
        amount=amount,
        currency=payment.currency,
        reason=reason[:500],
        source=Refund.Source.AUTOMATIC,
        status=Status.APPROVED,
        decided_at=now,
    )
    refund_notify(
        refund=refund,
        booking=Booking.objects.select_related("guest", "hotel").get(pk=payment.booking_id),
        event="automatic",
    )
    on_commit(lambda: _enqueue(refund.pk))
    return refund


def _booking_refund_total(refund: Refund) -> Decimal:
    """This request plus every other committed, person-made refund of the booking: slicing cannot dodge four-eyes."""
    others = (
        Refund.objects.filter(booking_id=refund.booking_id, status__in=Refund.COMMITTED_STATUSES)
        .exclude(pk=refund.pk)
        .exclude(source=Refund.Source.AUTOMATIC)
        .values_list("amount", flat=True)
    )
    return refund.amount + sum(others, Decimal("0.00"))


def _lock_for_decision(refund: Refund) -> tuple[Booking, Payment, Refund]:
    booking = lock_booking(refund.booking_id)
    payment = lock_payment(refund.payment_id)
    return booking, payment, lock_refund(refund.pk)


def _check_decider(*, refund: Refund, booking: Booking, decider: User) -> None:
    if not user_has_perm(decider, APPROVE, booking.hotel):
        raise PermissionDenied(_("Only the hotel's managers and accountants can decide refunds."))
    if refund.status != Status.REQUESTED:
        raise InvalidState(_("This refund was already decided (%(status)s).") % {"status": refund.get_status_display()})


def refund_approve(*, refund: Refund, approver: User, note: str = "", now: datetime | None = None) -> Refund:
    """requested → approved, by someone with the approve right at the hotel; the worker then pays it out.

    Above the hotel's threshold (this refund plus the booking's other refunds)
    the approver must be someone other than the requester.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking, _payment, refund = _lock_for_decision(refund)
        _check_decider(refund=refund, booking=booking, decider=approver)
        threshold = booking.hotel.refund_approval_threshold
        if refund.requested_by_id == approver.pk and _booking_refund_total(refund) > threshold:
            message = _(
                "Refunds above %(amount)s need a second person: someone other than the requester must approve."
            ) % {"amount": format_money(threshold, booking.currency)}
            raise PermissionDenied(message, code=ErrorCode.FOUR_EYES_REQUIRED)
        refund.status = Status.APPROVED
        refund.decided_by = approver
        refund.decided_at = now
        refund.decision_note = note.strip()[:500]
        refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        refund_notify(refund=refund, booking=booking, event="approved")
        on_commit(lambda: _enqueue(refund.pk))
    return refund


def refund_reject(*, refund: Refund, decider: User, note: str = "", now: datetime | None = None) -> Refund:
    """requested → rejected; the amount it held becomes refundable again."""
    now = now or timezone.now()
    with transaction.atomic():
        booking, payment, refund = _lock_for_decision(refund)
        _check_decider(refund=refund, booking=booking, decider=decider)
        refund.status = Status.REJECTED
        refund.decided_by = decider
        refund.decided_at = now
        refund.decision_note = note.strip()[:500]
        refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        _commit(payment=payment, amount=-refund.amount)
        refund_notify(refund=refund, booking=booking, event="rejected")
    return refund


# --- The worker's side ---------------------------------------------------------------------------


def refund_process(*, refund_id: int, now: datetime | None = None) -> Refund:
    """approved/processing → refunded through the payment's provider; a provider failure is retried later.

    The provider call happens outside any transaction (it may be slow); its
    idempotency key is the refund's id, so a retry never pays out twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        start = Refund.objects.only("booking_id", "payment_id").get(pk=refund_id)
        _booking, payment, refund = _lock_for_decision(start)
        if refund.status not in (Status.APPROVED, Status.PROCESSING):
            return refund
        refund.status = Status.PROCESSING
        refund.attempts += 1
        refund.next_attempt_at = None
        refund.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    try:
        paid_out = get_provider(payment.provider).refund(
            payment=payment, amount=refund.amount, idempotency_key=f"refund-{refund.pk}"
        )
    except ProviderError as error:
        return _attempt_failed(refund_id=refund.pk, message=str(error)[:200], now=now)
    except UnknownProvider:
        message = f"The payment provider {payment.provider!r} is not enabled here: pay this refund back by hand."
        return _attempt_failed(refund_id=refund.pk, message=message, now=now)
    with transaction.atomic():
        booking, payment, refund = _lock_for_decision(refund)
        if refund.status != Status.PROCESSING:
            return refund  # another worker finished it (same provider key: paid once)
        refund.status = Status.REFUNDED
        refund.refunded_at = timezone.now()
        refund.provider_reference = paid_out.provider_reference[:100]
        refund.failure_message = ""
        refund.save(update_fields=["status", "refunded_at", "provider_reference", "failure_message", "updated_at"])
        payment.refunded_amount += refund.amount
        payment.status = (
            Payment.Status.REFUNDED if payment.refunded_amount == payment.amount else Payment.Status.PARTLY_REFUNDED
        )
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        refund_notify(refund=refund, booking=booking, event="paid")
    return refund


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 60))


def _attempt_failed(*, refund_id: int, message: str, now: datetime) -> Refund:
    with transaction.atomic():
        start = Refund.objects.only("booking_id", "payment_id").get(pk=refund_id)
        _booking, payment, refund = _lock_for_decision(start)
        refund.failure_message = message or "The provider did not answer."
        if refund.attempts >= settings.REFUND_MAX_ATTEMPTS:
            refund.status = Status.FAILED
            _commit(payment=payment, amount=-refund.amount)  # nothing went back: it may be asked for again
            logger.error("refund failed for good", extra={"refund": refund.pk, "reason": refund.failure_message})
        else:
            refund.next_attempt_at = now + _backoff(refund.attempts)
        refund.save(update_fields=["status", "failure_message", "next_attempt_at", "updated_at"])
    if refund.status == Status.PROCESSING:
        on_commit(lambda: _enqueue(refund.pk, run_after=refund.next_attempt_at))
    return refund


def refund_retry_due(*, now: datetime | None = None) -> int:
    """The periodic sweep: refunds whose retry time came, and approved ones whose task was lost."""
    now = now or timezone.now()
    due = list(
        Refund.objects.filter(status=Status.PROCESSING, next_attempt_at__lte=now).values_list("pk", flat=True)
    ) + list(
        Refund.objects.filter(status=Status.APPROVED, decided_at__lte=now - LOST_AFTER).values_list("pk", flat=True)
    )
    for refund_id in due:
        refund_process(refund_id=refund_id, now=now)
    return len(due)


@task()
def process_refund(*, refund_id: int) -> str:
    """The worker's entry: refund_process for one refund (enqueued after commit by the services above)."""
    return refund_process(refund_id=refund_id).status


def _enqueue(refund_id: int, run_after: datetime | None = None) -> None:
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # the periodic sweep picks it up when it is due
        process_refund.using(run_after=run_after).enqueue(refund_id=refund_id)
        return
    process_refund.enqueue(refund_id=refund_id)
