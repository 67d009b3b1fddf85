"""Reads of offers: what the public may see, and what staff manage at their hotels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from apps.accounts.permissions import effective_permissions
from apps.core.errors import NotFound
from apps.hotels.models import Hotel
from apps.offers.models import Offer


def offer_list_public(*, hotel: Hotel | None = None, now: datetime | None = None) -> QuerySet[Offer]:
    """Active, public offers that can be booked now and have uses left (of live hotels, or chain-wide)."""
    now = now or timezone.now()
    offers = (
        Offer.objects.filter(is_active=True, is_public=True)
        .filter(Q(hotel__isnull=True) | Q(hotel__is_deleted=False))
        .filter(Q(bookable_from__isnull=True) | Q(bookable_from__lte=now))
        .filter(Q(bookable_until__isnull=True) | Q(bookable_until__gt=now))
        .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
    )
    if hotel is not None:
        offers = offers.filter(Q(hotel=hotel) | Q(hotel__isnull=True))
    return offers.select_related("hotel").prefetch_related("room_types").order_by("-created_at", "pk")


def staff_offers(*, user: Any, perm: str) -> QuerySet[Offer]:
    """Offers of the hotels where `user` holds `perm`; chain-wide offers only for global holders."""
    permissions = effective_permissions(user)
    offers = Offer.objects.select_related("hotel").prefetch_related("room_types").order_by("-created_at", "pk")
    if permissions.has(perm):
        return offers
    hotel_ids = permissions.object_ids_with(perm, "hotels.hotel") if permissions.is_active else set()
    return offers.filter(hotel__in=list(hotel_ids))


def staff_offer_get(*, user: Any, perm: str, offer_id: int) -> Offer:
    offer = staff_offers(user=user, perm=perm).filter(pk=offer_id).first() if 0 < offer_id < 2**63 else None
    if offer is None:
        raise NotFound("There is no offer with this id among your hotels.")
    return offer


def offer_get_public(*, offer_id: int) -> Offer:
    offer = offer_list_public().filter(pk=offer_id).first() if 0 < offer_id < 2**63 else None
    if offer is None:
        raise NotFound("There is no offer with this id.")
    return offer
