"""The demo catalogue of API.md, created or brought up to date idempotently by `seed_demo`.

Two hotels in different time zones and currencies, room types with the shipped
photos (static/img/rooms), rooms, a season of rates with weekend prices, and the
staff grants of the demo accounts.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER, HOUSEKEEPING
from apps.accounts.services import object_role_grant
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.services import parse_room_numbers

AMENITIES = {
    "wifi": "Wi-Fi",
    "breakfast": "Breakfast included",
    "ac": "Air conditioning",
    "minibar": "Minibar",
    "balcony": "Balcony",
    "river-view": "River view",
    "crib": "Crib on request",
    "workspace": "Workspace",
}

HOTELS: list[dict[str, Any]] = [
    {
        "slug": "harbour-view-lisbon",
        "name": "Harbour View Lisbon",
        "description": "A bright townhouse hotel above the Tagus, a short walk from Baixa and the ferries.",
        "description_pt_pt": (
            "Um hotel luminoso numa casa senhorial sobre o Tejo, a poucos passos da Baixa e dos barcos."
        ),
        "address": "Rua da Alfândega 100",
        "city": "Lisbon",
        "country": "PT",
        "latitude": Decimal("38.708900"),
        "longitude": Decimal("-9.134800"),
        "email": "stay@harbourview.example",
        "phone": "+351 21 000 0000",
        "time_zone": "Europe/Lisbon",
        "currency": "EUR",
        "tax_rate": Decimal("0.0600"),
        "check_in_time": time(15, 0),
        "check_out_time": time(11, 0),
        "room_types": [
            # name, photos, max adults, max children, base occupancy, rate, extra adult, extra child, amenities, rooms
            ("Double", ["img/rooms/double.svg"], 2, 1, 2, "120.00", "0", "15.00", ["wifi", "ac"], "101-110"),
            ("Twin", ["img/rooms/twin.svg"], 2, 0, 2, "110.00", "0", "0", ["wifi", "ac"], "111-115"),
            (
                "Family",
                ["img/rooms/family.svg", "img/rooms/twin.svg"],
                3,
                2,
                2,
                "175.00",
                "35.00",
                "20.00",
                ["wifi", "ac", "crib", "breakfast"],
                "201-203",
            ),
            (
                "River Suite",
                ["img/rooms/suite.svg", "img/rooms/view.svg"],
                2,
                1,
                2,
                "240.00",
                "0",
                "25.00",
                ["wifi", "ac", "minibar", "balcony", "river-view", "breakfast"],
                "204-205",
            ),
        ],
        "season": {"Double": "150.00", "Twin": "135.00", "Family": "215.00", "River Suite": "295.00"},
        "weekend_adjustment": Decimal("25.00"),
    },
    {
        "slug": "maple-court-toronto",
        "name": "Maple Court Toronto",
        "description": "A quiet brick courtyard hotel near King Street, with a library bar and bikes to borrow.",
        "description_fr_ca": (
            "Un hôtel tranquille en brique autour d'une cour, près de la rue King, avec un bar-bibliothèque "
            "et des vélos à emprunter."
        ),
        "address": "120 Adelaide St W",
        "city": "Toronto",
        "country": "CA",
        "latitude": Decimal("43.649500"),
        "longitude": Decimal("-79.383300"),
        "email": "hello@maplecourt.example",
        "phone": "+1 416 000 0000",
        "time_zone": "America/Toronto",
        "currency": "CAD",
        "tax_rate": Decimal("0.1300"),
        "check_in_time": time(16, 0),
        "check_out_time": time(11, 0),
        "room_types": [
            ("Queen", ["img/rooms/double.svg"], 2, 1, 2, "159.00", "0", "10.00", ["wifi", "workspace"], "301-306"),
            (
                "King",
                ["img/rooms/king.svg"],
                2,
                1,
                2,
                "189.00",
                "0",
                "10.00",
                ["wifi", "workspace", "minibar"],
                "307-310",
            ),
            (
                "Family Loft",
                ["img/rooms/family.svg"],
                4,
                3,
                2,
                "229.00",
                "40.00",
                "20.00",
                ["wifi", "crib", "breakfast"],
                "311-312",
            ),
        ],
        "season": {"Queen": "189.00", "King": "219.00", "Family Loft": "269.00"},
        "weekend_adjustment": Decimal("30.00"),
    },
]

STAFF_GRANTS = [
    ("manager@hbs.test", HOTEL_MANAGER, "harbour-view-lisbon"),
    ("desk@hbs.test", FRONT_DESK, "harbour-view-lisbon"),
    ("desk2@hbs.test", FRONT_DESK, "maple-court-toronto"),
    ("housekeeping@hbs.test", HOUSEKEEPING, "harbour-view-lisbon"),
]


def _summer(today: date) -> tuple[date, date]:
    """The next summer season (June to September) that has not ended yet."""
    year = today.year if today <= date(today.year, 9, 30) else today.year + 1
    return date(year, 6, 1), date(year, 9, 30)


def _rate(room_type: RoomType, name: str, **fields: Any) -> None:
    RateOverride.objects.update_or_create(room_type=room_type, name=name, defaults=fields)


def seed_catalogue(*, users: dict[str, User]) -> list[Hotel]:
    amenities = {
        code: Amenity.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in AMENITIES.items()
    }
    today = timezone.now().date()
    summer_start, summer_end = _summer(today)
    hotels = []
    for spec in HOTELS:
        spec = dict(spec)
        room_types, season, weekend = spec.pop("room_types"), spec.pop("season"), spec.pop("weekend_adjustment")
        hotel, _ = Hotel.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
        hotel.full_clean()
        for name, photos, adults, children, base, rate, extra_adult, extra_child, codes, numbers in room_types:
            room_type, _ = RoomType.objects.update_or_create(
                hotel=hotel,
                name=name,
                defaults={
                    "description": f"{name} at {hotel.name}.",
                    "photos": photos,
                    "max_adults": adults,
                    "max_children": children,
                    "base_occupancy": base,
                    "base_rate": Decimal(rate),
                    "extra_adult_charge": Decimal(extra_adult),
                    "extra_child_charge": Decimal(extra_child),
                },
            )
            room_type.amenities.set([amenities[code] for code in codes])
            for number in parse_room_numbers(numbers):
                Room.objects.update_or_create(
                    hotel=hotel, number=number, defaults={"room_type": room_type, "floor": int(number) // 100}
                )
            _rate(room_type, "Summer", starts_on=summer_start, ends_on=summer_end, price=Decimal(season[name]))
            # Friday and Saturday nights all year: narrower than the season, so it wins on those nights.
            _rate(
                room_type,
                "Weekends",
                starts_on=today.replace(day=1),
                ends_on=date(today.year + 1, 12, 31),
                weekdays=[4, 5],
                adjustment=weekend,
                price=None,
            )
        hotels.append(hotel)

    by_slug = {hotel.slug: hotel for hotel in hotels}
    for email, role, slug in STAFF_GRANTS:
        if email in users:
            object_role_grant(user=users[email], role=role, scope=by_slug[slug])
    return hotels
