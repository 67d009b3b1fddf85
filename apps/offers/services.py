"""Writes to offers: staff CRUD and the one atomic redemption."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core.errors import ValidationFailed
from apps.core.transactions import on_commit
from apps.hotels.cache import forget_catalogue
from apps.hotels.models import Hotel, RoomType
from apps.hotels.pricing import InvalidOffer
from apps.hotels.services import save_or_conflict, validated
from apps.offers.models import Offer

OFFER_FIELDS = {
    "name", "description", "code", "kind", "value", "stay_starts_on", "stay_ends_on", "bookable_from",
    "bookable_until", "min_nights", "usage_limit", "is_active", "is_public",
}  # fmt: skip


def _room_types(*, hotel: Hotel | None, ids: Iterable[int]) -> list[RoomType]:
    wanted = set(ids)
    if wanted and hotel is None:
        raise ValidationFailed(fields={"room_types": ["An offer for every hotel cannot name room types."]})
    found = list(RoomType.objects.filter(pk__in=wanted, hotel=hotel)) if wanted else []
    missing = wanted - {room_type.pk for room_type in found}
    if missing:
        raise ValidationFailed(
            fields={"room_types": [f"Not a room type of this hotel: {pk}" for pk in sorted(missing)]}
        )
    return found


def _normalize(fields: dict[str, Any]) -> None:
    if "code" in fields:
        code = (fields["code"] or "").strip().upper()
        fields["code"] = code or None


def offer_create(*, hotel: Hotel | None, room_types: Iterable[int] = (), **fields: Any) -> Offer:
    """A discount for `hotel` (None: every hotel, percent only); codes are unique whatever their case."""
    unknown = set(fields) - OFFER_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: ["Unknown field."] for name in sorted(unknown)})
    _normalize(fields)
    offer = Offer(hotel=hotel, **fields)
    validated(offer)
    found = _room_types(hotel=hotel, ids=room_types)
    with transaction.atomic():
        save_or_conflict(offer, conflict="Another offer already uses this code.")
        offer.room_types.set(found)
    return offer


def offer_update(*, offer: Offer, room_types: Iterable[int] | None = None, **changes: Any) -> Offer:
    unknown = set(changes) - OFFER_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: ["This field cannot be changed here."] for name in sorted(unknown)})
    _normalize(changes)
    found = _room_types(hotel=offer.hotel, ids=room_types) if room_types is not None else None
    with transaction.atomic():
        for name, value in changes.items():
            setattr(offer, name, value)
        validated(offer)
        save_or_conflict(offer, conflict="Another offer already uses this code.")
        if found is not None:
            offer.room_types.set(found)
    return offer


def offer_delete(*, offer: Offer) -> None:
    with transaction.atomic():
        offer.delete()


def offer_redeem(*, offer: Offer) -> Offer:
    """Counts one use, atomically: a conditional UPDATE … WHERE times_used < usage_limit.

    Concurrent redemptions queue on the row lock and each re-checks the
    condition on the row it finally sees, so the count never passes the limit
    (the check constraint would refuse it anyway). Call inside the booking's
    transaction so a failed booking gives the use back.
    """
    with transaction.atomic():
        counted = (
            Offer.objects.filter(pk=offer.pk, is_active=True)
            .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
            .update(times_used=F("times_used") + 1, updated_at=timezone.now())
        )
        if not counted:
            raise InvalidOffer("This offer has been fully used.", fields={"offer_code": ["Fully used."]})
        offer.refresh_from_db(fields=["times_used", "updated_at"])
        if offer.usage_limit is not None:
            on_commit(forget_catalogue)  # the public list shows uses left (and drops a used-up offer)
    return offer
