"""Refund row locks, last in the order hotel → room type → room → booking → payment → refund."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.refunds.models import Refund


def lock_refund(pk: int) -> Refund:
    refund = Refund.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if refund is None:
        raise NotFound(_("There is no such refund."))
    return refund
