"""The catalogue's staff side in the reader's language: its pages, its API errors and the role-granted email."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.hotels.models import Room
from tests.factories import TEST_PASSWORD, HotelFactory, RoomFactory, RoomTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def lisbon():
    hotel = HotelFactory(name="Harbour View", slug="harbour-view", city="Lisbon")
    room_type = RoomTypeFactory(hotel=hotel, name="Double", base_rate=Decimal("129.00"))
    RoomFactory(room_type=room_type, number="240")
    return hotel


def test_a_room_number_taken_is_refused_in_portuguese_over_the_api_with_its_code_unchanged(lisbon, staff_of, bearer):
    client = bearer(staff_of("hotel_manager", lisbon))
    room_type = lisbon.room_types.get()
    answer = client.post(
        f"{API}/hotels/harbour-view/rooms/",
        {"numbers": "240-241", "room_type": room_type.pk},
        HTTP_ACCEPT_LANGUAGE="pt-PT",
    )
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "conflict"
    assert error["message"] == "Estes quartos já existem: 240."
    assert error["fields"] == {"numbers": ["Já usados: 240"]}
    english = client.post(f"{API}/hotels/harbour-view/rooms/", {"numbers": "240", "room_type": room_type.pk})
    assert english.json()["error"]["message"] == "These rooms already exist: 240."
    assert not Room.objects.filter(number="241").exists()


def test_an_unknown_hotel_is_not_found_in_french_over_the_api(staff_of, bearer):
    answer = bearer(UserFactory()).get(f"{API}/hotels/nowhere/", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert answer.status_code == 404
    assert answer.json()["error"] == {"code": "not_found", "message": "Aucun hôtel ne porte ce nom.", "fields": {}}


def test_the_catalogue_page_of_a_manager_reading_french_is_in_french_with_money_in_french_format(lisbon, staff_of):
    manager = staff_of("hotel_manager", lisbon, preferred_language="fr-ca")
    client = Client()
    assert client.login(username=manager.email, password=TEST_PASSWORD)
    html = client.get("/staff/hotels/harbour-view/").content.decode()
    for french in ("Types de chambre", "Ajouter des chambres", "Tarif de base", "129,00\xa0€", "Ajouter une offre"):
        assert french in html, french
    assert ">Propre</option>" in html  # the room's housekeeping choices
    for english in ("Room types", "Add rooms", "Base rate", ">Clean</option>", "Add an offer"):
        assert english not in html, english


def test_the_room_form_labels_and_a_service_error_read_in_portuguese(lisbon, staff_of):
    manager = staff_of("hotel_manager", lisbon, preferred_language="pt-pt")
    client = Client()
    assert client.login(username=manager.email, password=TEST_PASSWORD)
    form = client.get("/staff/hotels/harbour-view/rooms/new/").content.decode()
    assert "Adicionar quartos" in form and "Tipo de quarto" in form and "Números" in form
    refused = client.post(
        "/staff/hotels/harbour-view/rooms/new/", {"room_type": lisbon.room_types.get().pk, "numbers": "250-240"}
    )
    assert refused.status_code == 400 and "O intervalo 250-240 está invertido." in refused.content.decode()


def test_the_role_granted_email_reaches_each_manager_in_their_own_language(
    lisbon, staff_of, bearer, mailoutbox, django_capture_on_commit_callbacks
):
    granting = staff_of("hotel_manager", lisbon, email="boss@example.com")
    staff_of("hotel_manager", lisbon, email="gerente@example.com", preferred_language="pt-pt")
    staff_of("hotel_manager", lisbon, email="gerant@example.com", preferred_language="fr-ca")
    UserFactory(email="clerk@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answer = bearer(granting).post(
            f"{API}/hotels/harbour-view/staff/", {"user": "clerk@example.com", "role": "front_desk"}
        )
    assert answer.status_code == 200, answer.content
    mails = {message.to[0]: message for message in mailoutbox}
    assert set(mails) == {"gerente@example.com", "gerant@example.com"}
    portuguese, french = mails["gerente@example.com"], mails["gerant@example.com"]
    assert portuguese.subject.startswith("Harbour View: clerk@example.com tem agora a função")
    assert "Recebe esta mensagem como gestor do Harbour View." in portuguese.body
    assert french.subject.startswith("Harbour View : clerk@example.com a maintenant le rôle")
    assert "Vous recevez ce message en tant que gestionnaire de Harbour View." in french.body
    assert "attribué par boss@example.com" in french.body
