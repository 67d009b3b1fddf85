"""Translated content: descriptions and names per language, read in the active language, English the fallback."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.hotels.models import Amenity, Hotel, RoomType
from apps.hotels.stays import hotel_today
from apps.offers.models import Offer
from tests.factories import AmenityFactory, HotelFactory, OfferFactory, RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lisbon():
    hotel = HotelFactory(name="Harbour View", slug="harbour-view", city="Lisbon", description="By the river.")
    room_type = RoomTypeFactory(hotel=hotel, name="Double room", description="Two guests.", base_rate=Decimal("120"))
    RoomFactory(room_type=room_type)
    return hotel


def stay(hotel) -> dict:
    check_in = hotel_today(hotel) + timedelta(days=5)
    return {"check_in": check_in, "check_out": check_in + timedelta(days=2), "adults": 2, "children": 0}


def in_language(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_existing_text_is_the_english_translation(lisbon):
    hotel = Hotel.objects.get(pk=lisbon.pk)
    room_type = RoomType.objects.get(hotel=hotel)
    assert (hotel.description_en, hotel.description_pt_pt) == ("By the river.", None)
    assert (room_type.name_en, room_type.name_pt_pt) == ("Double room", None)


def test_the_hotel_page_shows_portuguese_and_falls_back_to_english_where_empty(lisbon):
    Hotel.objects.filter(pk=lisbon.pk).update(description_pt_pt="Junto ao rio.")
    RoomType.objects.filter(hotel=lisbon).update(name_pt_pt="Quarto duplo")
    english = Client().get("/hotels/harbour-view/", stay(lisbon)).content.decode()
    portuguese = in_language("pt-pt").get("/hotels/harbour-view/", stay(lisbon)).content.decode()
    french = in_language("fr-ca").get("/hotels/harbour-view/", stay(lisbon)).content.decode()
    assert "By the river." in english and "Double room" in english and "Quarto duplo" not in english
    assert "Junto ao rio." in portuguese and "Quarto duplo" in portuguese
    assert "By the river." not in portuguese and "Double room" not in portuguese
    assert "By the river." in french and "Double room" in french  # no French yet: English shows
    # The cached catalogue is kept per language: the English reader after the Portuguese one still reads English.
    again = Client().get("/hotels/harbour-view/", stay(lisbon)).content.decode()
    assert "Double room" in again and "Quarto duplo" not in again


def test_the_api_answers_in_the_accept_language(lisbon):
    Hotel.objects.filter(pk=lisbon.pk).update(description_fr_ca="Au bord du fleuve.")
    RoomType.objects.filter(hotel=lisbon).update(name_fr_ca="Chambre double", description_fr_ca="")
    url = "/api/v1/hotels/harbour-view/"
    french = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr-CA").json()
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert french["description"] == "Au bord du fleuve."
    assert [(t["name"], t["description"]) for t in french["room_types"]] == [("Chambre double", "Two guests.")]
    assert english["description"] == "By the river."
    assert [t["name"] for t in english["room_types"]] == ["Double room"]


def test_amenities_and_offers_read_the_active_language(lisbon):
    wifi = AmenityFactory(code="wifi-x", name="Free wifi")
    offer = OfferFactory(hotel=lisbon, name="Early bird")
    Amenity.objects.filter(pk=wifi.pk).update(name_pt_pt="Wi-Fi grátis")
    Offer.objects.filter(pk=offer.pk).update(name_fr_ca="Lève-tôt")
    wifi.refresh_from_db()
    offer.refresh_from_db()
    with translation.override("pt-pt"):
        assert (wifi.name, offer.name) == ("Wi-Fi grátis", "Early bird")
    with translation.override("fr-ca"):
        assert (wifi.name, offer.name) == ("Free wifi", "Lève-tôt")


def test_the_admin_forms_show_a_field_per_language(admin_client, lisbon):
    room_type = RoomType.objects.get(hotel=lisbon)
    pages = {
        "hotel": admin_client.get(reverse("admin:hotels_hotel_change", args=[lisbon.pk])),
        "room type": admin_client.get(reverse("admin:hotels_roomtype_change", args=[room_type.pk])),
        "offer": admin_client.get(reverse("admin:offers_offer_add")),
        "amenity": admin_client.get(reverse("admin:hotels_amenity_add")),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    hotel_html = pages["hotel"].content.decode()
    for language in ("en", "pt_pt", "fr_ca"):
        assert f'name="description_{language}"' in hotel_html
        assert f'name="name_{language}"' in pages["room type"].content.decode()
        assert f'name="description_{language}"' in pages["offer"].content.decode()
        assert f'name="name_{language}"' in pages["amenity"].content.decode()
