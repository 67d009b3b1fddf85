"""Reads of refunds, scoped like payments: a guest's own bookings, staff their hotels."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.permissions import effective_permissions
from apps.bookings.models import Booking
from apps.core.errors import NotFound
from apps.refunds.models import Refund

VIEW = "refunds.view_refund"
APPROVE = "refunds.approve_refund"


def _base() -> QuerySet[Refund]:
    return Refund.objects.select_related(
        "booking", "booking__hotel", "booking__guest", "payment", "requested_by", "decided_by"
    )


def _scoped(*, user: Any, perm: str, own: bool) -> QuerySet[Refund]:
    permissions = effective_permissions(user)
    if permissions.has(perm):
        return _base()
    hotel_ids = [int(pk) for pk in permissions.object_ids_with(perm, "hotels.hotel")]
    where = Q(booking__hotel_id__in=hotel_ids)
    if own:
        where |= Q(booking__guest=user)
    return _base().filter(where)


def refund_list_for_user(*, user: Any, status: str | None = None, booking: Booking | None = None) -> QuerySet[Refund]:
    """The refunds of the user's own bookings, plus those at hotels where they may view refunds."""
    refunds = _scoped(user=user, perm=VIEW, own=True)
    if status:
        refunds = refunds.filter(status=status)
    if booking is not None:
        refunds = refunds.filter(booking=booking)
    return refunds.order_by("-created_at", "-pk")


def refund_get_for_user(*, user: Any, refund_id: int) -> Refund:
    """404 for a refund the user may not see (staff of another hotel included)."""
    refund = refund_list_for_user(user=user).filter(pk=refund_id).first()
    if refund is None:
        raise NotFound(_("There is no such refund."))
    return refund


def refund_queue_for_user(*, user: Any) -> QuerySet[Refund]:
    """Requests waiting for a decision at the hotels where the user may approve refunds, oldest first."""
    return _scoped(user=user, perm=APPROVE, own=False).filter(status=Refund.Status.REQUESTED).order_by("created_at")
