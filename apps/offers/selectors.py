"""Reads of offers: what the public may see, and what staff manage at their hotels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import effective_permissions
from apps.core.errors import NotFound
from apps.hotels.cache import cached
from apps.hotels.models import Hotel
from apps.hotels.pricing import InvalidOffer, OfferTerms
from apps.offers.models import Offer


def offer_terms(offer: Offer) -> OfferTerms:
    """The offer as the price engine sees it. Reads offer.room_types.all(): prefetch it to keep queries flat."""
    return OfferTerms(
        id=offer.pk,
        code=offer.code,
        kind=offer.kind,
        value=offer.value,
        stay_starts_on=offer.stay_starts_on,
        stay_ends_on=offer.stay_ends_on,
        bookable_from=offer.bookable_from,
        bookable_until=offer.bookable_until,
        min_nights=offer.min_nights,
        room_type_ids=frozenset(room_type.pk for room_type in offer.room_types.all()),
        hotel_id=offer.hotel_id,
        uses_left=offer.uses_left,
        is_active=offer.is_active and not offer.is_deleted,
    )


def offer_find(*, code: str, hotel: Hotel) -> OfferTerms:
    """The live offer with `code` (any case) valid at `hotel`, else 400 invalid_offer."""
    offer = (
        Offer.objects.annotate(code_upper=Upper("code"))
        .filter(code_upper=code.strip().upper())
        .filter(Q(hotel=hotel) | Q(hotel__isnull=True))
        .prefetch_related("room_types")
        .first()
    )
    if offer is None:
        raise InvalidOffer(_("This offer code is not known."), fields={"offer_code": [_("Unknown code.")]})
    return offer_terms(offer)


def automatic_offers_now(*, hotel: Hotel) -> list[OfferTerms]:
    """The hotel's live offers without a code (they apply by themselves), read now."""
    offers = (
        Offer.objects.filter(Q(hotel=hotel) | Q(hotel__isnull=True), code__isnull=True, is_active=True)
        .prefetch_related("room_types")
        .order_by("pk")
    )
    return [offer_terms(offer) for offer in offers]


def automatic_offers_key(hotel: Hotel) -> str:
    return f"automatic-offers:{hotel.pk}"


def automatic_offers(*, hotel: Hotel) -> list[OfferTerms]:
    """automatic_offers_now from the catalogue cache: an offer change, or an offer used up, bumps its generation."""
    return cached(automatic_offers_key(hotel), lambda: automatic_offers_now(hotel=hotel), keep_local=True)


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
        raise NotFound(_("There is no offer with this id among your hotels."))
    return offer


def offer_get_public(*, offer_id: int) -> Offer:
    offer = offer_list_public().filter(pk=offer_id).first() if 0 < offer_id < 2**63 else None
    if offer is None:
        raise NotFound(_("There is no offer with this id."))
    return offer
