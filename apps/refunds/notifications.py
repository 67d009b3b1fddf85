"""What the refunds app tells people: the guest at each step of their refund, approvers when one waits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.notifications.kinds import Audience, NotificationKind, register
from apps.notifications.models import Notification
from apps.notifications.services import notify, notify_staff
from apps.payments.notifications import money_lazy
from apps.refunds.models import Refund

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

APPROVE = "refunds.approve_refund"


def _refund_context(notification: Notification) -> Mapping[str, Any]:
    refund = Refund.objects.select_related("booking", "booking__guest", "booking__hotel", "payment").get(
        pk=notification.data["refund"]
    )
    return {"refund": refund, "booking": refund.booking}


def _guest_kind(code: str, label: StrOrPromise) -> NotificationKind:
    return NotificationKind(code=code, label=label, audience=Audience.GUEST, email_context=_refund_context)


KINDS = [
    _guest_kind("refund_requested", _("Your refund request was received")),
    _guest_kind("refund_approved", _("Your refund was approved")),
    _guest_kind("refund_rejected", _("Your refund request was declined")),
    _guest_kind("refund_paid", _("Your refund is on its way")),
    _guest_kind("refund_automatic", _("A payment we return to you")),
    NotificationKind(
        code="staff_refund_to_approve",
        label=_("A refund waits for your approval"),
        audience=Audience.STAFF,
        perm=APPROVE,
        email_context=_refund_context,
    ),
]


def register_kinds() -> None:
    register(*KINDS)


# event → (kind, title); titles are also the email subjects.
GUEST_NOTICES = {
    "requested": ("refund_requested", _("We received your refund request: {reference}")),
    "approved": ("refund_approved", _("Your refund is approved: {reference}")),
    "rejected": ("refund_rejected", _("About your refund request: {reference}")),
    "paid": ("refund_paid", _("Your refund is on its way: {reference}")),
    "automatic": ("refund_automatic", _("We are returning your payment: {reference}")),
}


def refund_notify(*, refund: Refund, booking: Booking, event: str) -> None:
    """Inside the refund's transaction. A request also tells the hotel's approvers (those with the right there)."""
    kind, title = GUEST_NOTICES[event]
    amount = money_lazy(refund.amount, refund.currency)
    data = {"refund": refund.pk, "booking": booking.pk}
    notify(
        user=booking.guest,
        kind=kind,
        title=format_lazy(title, reference=booking.reference),
        body=format_lazy(_("{amount} for your stay at {hotel}."), amount=amount, hotel=booking.hotel.name),
        link=f"/bookings/{booking.reference}/",
        hotel=booking.hotel,
        data=data,
    )
    if event == "requested":
        notify_staff(
            hotel=booking.hotel,
            kind="staff_refund_to_approve",
            title=format_lazy(
                _("Refund of {amount} to approve: {reference}"), amount=amount, reference=booking.reference
            ),
            # A reason the system gave (a payment going back by itself) in the reader's language; a person's as written.
            body=_(refund.reason) if refund.reason else Refund.Source(refund.source).label,
            link="/staff/refunds/",
            data=data,
        )
