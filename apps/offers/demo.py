"""The demo offers of API.md: WELCOME10 everywhere, and a week's stay discount at the first hotel."""

from __future__ import annotations

from decimal import Decimal

from apps.hotels.models import Hotel
from apps.offers.models import Offer


def seed_offers(*, hotels: list[Hotel]) -> None:
    Offer.objects.update_or_create(
        code="WELCOME10",
        defaults={
            "hotel": None,
            "name": "Welcome: 10 % off your first stay",
            "description": "Type WELCOME10 when you search.",
            "kind": Offer.Kind.PERCENT,
            "value": Decimal("10.00"),
            "is_active": True,
            "is_public": True,
        },
    )
    Offer.objects.update_or_create(
        hotel=hotels[0],
        name="Stay a week, save 15 %",
        code=None,
        defaults={"kind": Offer.Kind.PERCENT, "value": Decimal("15.00"), "min_nights": 7, "is_active": True},
    )
