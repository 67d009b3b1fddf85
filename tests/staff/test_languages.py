"""The back office in the reader's language: the desk, the board and housekeeping read in their profile's words."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER, HOUSEKEEPING
from apps.bookings import services
from apps.hotels.models import Room
from apps.hotels.stays import hotel_today
from tests.bookings.conftest import make_hotel
from tests.staff.test_views import arriving_today, checked_in_leaving_today, logged_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    return make_hotel(rooms=4)


def test_a_desk_clerk_reading_french_sees_the_arrivals_in_french_with_amounts_in_french_format(place):
    booking = arriving_today(place)
    client = logged_in(staff(place, FRONT_DESK, preferred_language="fr-ca"))
    html = client.get(f"/staff/hotels/{place.hotel.slug}/arrivals/").content.decode()
    assert booking.reference in html
    for french in ("Arrivées du", "Type de chambre", "2 adultes", "Enregistrer l\u2019arrivée", "Tableau des chambres"):
        assert french in html, french
    assert "220,00\xa0€" in html  # the money filter in fr-CA, not "220.00 EUR"
    for english in ("Room type", ">Check in<", "2 adults", "Room board"):
        assert english not in html, english


def test_the_same_arrivals_read_in_english_for_a_clerk_whose_profile_is_english(place):
    arriving_today(place)
    html = logged_in(staff(place, FRONT_DESK)).get(f"/staff/hotels/{place.hotel.slug}/arrivals/").content.decode()
    assert "Room type" in html and "2 adults" in html and "Type de chambre" not in html


def test_the_board_and_the_words_its_script_writes_come_in_french(place):
    booking = arriving_today(place, nights=3)
    free = next(room for room in place.rooms if room.pk != booking.room_id)
    today = hotel_today(place.hotel)
    services.room_block_create(
        room=free, start=today + timedelta(days=1), end=today + timedelta(days=2), reason="Peinture"
    )
    html = (
        logged_in(staff(place, FRONT_DESK, preferred_language="fr-ca"))
        .get(f"/staff/hotels/{place.hotel.slug}/board/")
        .content.decode()
    )
    assert "<h1>Tableau des chambres</h1>" in html and "Room board" not in html
    # static/js/board.js writes only these, filled in with the stay and the room
    assert 'data-moving="Déplacement de {reference} vers la chambre {room}…"' in html
    assert 'data-moved="{reference} est maintenant dans la chambre {room}."' in html
    assert 'data-offline="Le séjour n\u2019a pas pu être déplacé : vérifiez la connexion et réessayez."' in html
    assert 'title="Hors service' in html and "Out of order" not in html
    assert "«\u00a0Déplacer\u00a0»" in html  # the guillemets never wrap away from their word on a phone
    assert "Confirmée" in html  # the stay's status in its bar's title


def test_the_board_script_holds_no_english_sentence_of_its_own():
    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "board.js").read_text(encoding="utf-8")
    for english in ("could not be moved", "is now in room", "Moving "):
        assert english not in script, english


def test_housekeeping_states_read_in_portuguese_and_a_change_is_told_in_portuguese(place):
    room = place.rooms[0]
    Room.objects.filter(pk=room.pk).update(housekeeping=Room.Housekeeping.DIRTY)
    client = logged_in(staff(place, HOUSEKEEPING, preferred_language="pt-pt"))
    url = f"/staff/hotels/{place.hotel.slug}/housekeeping/"
    html = client.get(url).content.decode()
    assert f'data-testid="state-{room.number}">Sujo</span>' in html
    assert f'data-testid="set-{room.number}-clean">Limpo</button>' in html
    assert "<h1>Limpeza de quartos</h1>" in html and "Dirty" not in html and "Clean<" not in html
    done = client.post(f"/staff/rooms/{room.pk}/housekeeping/", {"housekeeping": "clean"}, follow=True)
    assert f"O quarto {room.number} está limpo." in done.content.decode()


def test_the_dashboard_counts_and_the_check_out_message_read_in_portuguese(place):
    booking = checked_in_leaving_today(place)
    client = logged_in(staff(place, HOTEL_MANAGER, preferred_language="pt-pt"))
    counts = {item.key: item for item in client.get("/staff/").context["counts"]}
    assert counts["departures"].label == "Partidas hoje"
    assert counts["occupancy_tonight"].count == "0,0 %" and counts["occupancy_tonight"].note == "0 de 4 quartos"
    done = client.post(
        f"/staff/bookings/{booking.reference}/check-out/",
        {"method": "", "leave_open_reason": "A empresa paga"},
        follow=True,
    )
    assert f"o quarto {booking.room.number} está agora sujo." in done.content.decode()
