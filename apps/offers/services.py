"""Writes to offers: staff CRUD and the one atomic redemption."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.changes import UNSET, Unset, given
from apps.core.errors import ValidationFailed
from apps.core.transactions import on_commit
from apps.hotels.cache import forget_catalogue
from apps.hotels.models import Hotel, RoomType
from apps.hotels.pricing import InvalidOffer
from apps.hotels.services import save_or_conflict, validated
from apps.offers.models import Offer


def _room_types(*, hotel: Hotel | None, ids: Iterable[int]) -> list[RoomType]:
    wanted = set(ids)
    if wanted and hotel is None:
        raise ValidationFailed(fields={"room_types": [_("An offer for every hotel cannot name room types.")]})
    found = list(RoomType.objects.filter(pk__in=wanted, hotel=hotel)) if wanted else []
    missing = wanted - {room_type.pk for room_type in found}
    if missing:
        raise ValidationFailed(
            fields={"room_types": [_("Not a room type of this hotel: %(id)s") % {"id": pk} for pk in sorted(missing)]}
        )
    return found


def _code(code: str | None) -> str | None:
    """Codes are stored upper case; an empty code means an automatic offer (no code)."""
    return (code or "").strip().upper() or None


def offer_create(
    *,
    hotel: Hotel | None,
    name: str,
    value: Decimal,
    kind: str = Offer.Kind.PERCENT,
    code: str | None = None,
    description: str = "",
    stay_starts_on: date | None = None,
    stay_ends_on: date | None = None,
    bookable_from: datetime | None = None,
    bookable_until: datetime | None = None,
    min_nights: int = 1,
    usage_limit: int | None = None,
    is_active: bool = True,
    is_public: bool = True,
    room_types: Iterable[int] = (),
) -> Offer:
    """A discount for `hotel` (None: every hotel, percent only); codes are unique whatever their case."""
    offer = Offer(
        hotel=hotel,
        name=name,
        description=description,
        code=_code(code),
        kind=kind,
        value=value,
        stay_starts_on=stay_starts_on,
        stay_ends_on=stay_ends_on,
        bookable_from=bookable_from,
        bookable_until=bookable_until,
        min_nights=min_nights,
        usage_limit=usage_limit,
        is_active=is_active,
        is_public=is_public,
    )
    validated(offer)
    found = _room_types(hotel=hotel, ids=room_types)
    with transaction.atomic():
        save_or_conflict(offer, conflict=_("Another offer already uses this code."))
        offer.room_types.set(found)
    return offer


def offer_update(
    *,
    offer: Offer,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    code: str | Unset | None = UNSET,
    kind: str | Unset = UNSET,
    value: Decimal | Unset = UNSET,
    stay_starts_on: date | Unset | None = UNSET,
    stay_ends_on: date | Unset | None = UNSET,
    bookable_from: datetime | Unset | None = UNSET,
    bookable_until: datetime | Unset | None = UNSET,
    min_nights: int | Unset = UNSET,
    usage_limit: int | Unset | None = UNSET,
    is_active: bool | Unset = UNSET,
    is_public: bool | Unset = UNSET,
    room_types: Iterable[int] | None = None,
) -> Offer:
    """Changes the fields given (the others stay); `room_types` replaces the set when given."""
    changes = given(
        name=name,
        description=description,
        kind=kind,
        value=value,
        stay_starts_on=stay_starts_on,
        stay_ends_on=stay_ends_on,
        bookable_from=bookable_from,
        bookable_until=bookable_until,
        min_nights=min_nights,
        usage_limit=usage_limit,
        is_active=is_active,
        is_public=is_public,
    )
    if not isinstance(code, Unset):
        changes["code"] = _code(code)
    found = _room_types(hotel=offer.hotel, ids=room_types) if room_types is not None else None
    with transaction.atomic():
        for field, new_value in changes.items():
            setattr(offer, field, new_value)
        validated(offer)
        save_or_conflict(offer, conflict=_("Another offer already uses this code."))
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
            raise InvalidOffer(_("This offer has been fully used."), fields={"offer_code": [_("Fully used.")]})
        offer.refresh_from_db(fields=["times_used", "updated_at"])
        if offer.usage_limit is not None:
            on_commit(forget_catalogue)  # the public list shows uses left (and drops a used-up offer)
    return offer
