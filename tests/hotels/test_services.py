"""Catalogue services: what they accept, what they refuse, and what the admin shows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client

from apps.core.errors import Conflict, ValidationFailed
from apps.hotels.models import RoomType
from apps.hotels.services import hotel_create, parse_room_numbers, room_type_create, room_type_delete
from tests.factories import OfferFactory, RateOverrideFactory, RoomFactory, RoomTypeFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"tax_rate": Decimal("1.5")}, "non_field_errors"),
    ],
)
def test_hotel_needs_a_real_time_zone_currency_and_tax_rate(fields, field):
    values = {
        "name": "H",
        "slug": "h",
        "city": "Lisbon",
        "country": "PT",
        "time_zone": "Europe/Lisbon",
        "currency": "EUR",
    }
    with pytest.raises(ValidationFailed) as caught:
        hotel_create(**{**values, **fields})
    assert field in caught.value.fields


def test_room_numbers_parse_ranges_lists_and_leading_zeros():
    assert parse_room_numbers("101-103, 105") == ["101", "102", "103", "105"]
    assert parse_room_numbers("01-03") == ["01", "02", "03"]
    assert parse_room_numbers("A1, B2") == ["A1", "B2"]
    for bad in ("110-101", "1-900", "101, 101", "", "1 0 1"):
        with pytest.raises(ValidationFailed):
            parse_room_numbers(bad)


@pytest.mark.django_db
def test_room_type_rules_come_back_as_field_errors():
    hotel = RoomTypeFactory(name="Double").hotel
    with pytest.raises(ValidationFailed) as caught:
        room_type_create(hotel=hotel, name="Double", base_rate=Decimal("10"))
    assert "already has a room type with this name" in str(caught.value.fields)
    with pytest.raises(ValidationFailed) as caught:
        room_type_create(hotel=hotel, name="Tiny", base_rate=Decimal("10"), max_adults=1, base_occupancy=3)
    assert "base occupancy" in str(caught.value.fields)
    with pytest.raises(ValidationFailed) as caught:
        room_type_create(hotel=hotel, name="Pics", base_rate=Decimal("10"), photos=["javascript:alert(1)"])
    assert "photos" in caught.value.fields


@pytest.mark.django_db
def test_a_room_type_with_rooms_cannot_be_removed():
    room = RoomFactory()
    with pytest.raises(Conflict):
        room_type_delete(room_type=room.room_type)
    room.delete()
    room_type_delete(room_type=room.room_type)
    assert not RoomType.objects.filter(pk=room.room_type_id).exists()


@pytest.mark.django_db
def test_admin_pages_for_the_catalogue_render():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    rate = RateOverrideFactory()
    RoomFactory(room_type=rate.room_type)
    offer = OfferFactory(hotel=rate.room_type.hotel)
    hotel = rate.room_type.hotel
    for url in [
        "/admin/hotels/hotel/",
        f"/admin/hotels/hotel/{hotel.pk}/change/",
        f"/admin/hotels/hotel/{hotel.pk}/permissions/",
        "/admin/hotels/roomtype/",
        f"/admin/hotels/roomtype/{rate.room_type.pk}/change/",
        "/admin/hotels/room/?in_service__exact=1",
        "/admin/hotels/rateoverride/",
        "/admin/hotels/amenity/",
        "/admin/offers/offer/?q=CODE",
        f"/admin/offers/offer/{offer.pk}/change/",
        "/admin/bookings/booking/",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_staff_user_is_found_by_id_or_email_and_nothing_else():
    from apps.core.errors import NotFound
    from apps.hotels.services import staff_user_find

    user = UserFactory(email="clerk@example.com")
    assert staff_user_find(user=str(user.pk)) == user
    assert staff_user_find(user="CLERK@example.com") == user
    for other in ("³", "0", "99999999999999999999", "nobody@example.com"):
        with pytest.raises(NotFound):
            staff_user_find(user=other)


@pytest.mark.django_db
def test_a_room_cannot_take_a_room_type_of_another_hotel():
    from apps.hotels.services import room_update

    room, elsewhere = RoomFactory(), RoomTypeFactory()
    with pytest.raises(ValidationFailed) as caught:
        room_update(room=room, room_type=elsewhere)
    assert "room_type" in caught.value.fields
    room.room_type = elsewhere
    with pytest.raises(DjangoValidationError, match="another hotel"):
        room.full_clean()
