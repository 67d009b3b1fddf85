"""The admin deletes rooms and room types through the catalogue's services, and bulk-created rooms are audited."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from apps.audit.models import AUDIT_LOGS, OutboxEntry
from apps.bookings.services import booking_create
from apps.hotels.models import Room, RoomType
from apps.hotels.services import rooms_create
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def audit_lines(entity: str, entity_id: int, action: str) -> list[OutboxEntry]:
    return list(
        OutboxEntry.objects.filter(
            collection=AUDIT_LOGS,
            document__entity=entity,
            document__entity_id=str(entity_id),
            document__action=action,
        )
    )


def test_rooms_created_in_bulk_each_get_their_create_line():
    place = make_hotel(rooms=0)
    created = rooms_create(hotel=place.hotel, room_type=place.room_type, numbers="201-203")
    assert len(created) == 3
    for room in Room.objects.filter(number__in=["201", "202", "203"]):
        [line] = audit_lines("hotels.room", room.pk, "create")
        assert line.document["changes"]["number"] == [None, room.number]


def test_the_admin_keeps_a_room_with_a_future_stay_and_says_why(admin_client):
    place = make_hotel(rooms=1)
    room = place.rooms[0]
    booking_create(
        guest=UserFactory(), hotel=place.hotel, room_type=place.room_type,
        check_in=place.day(0), check_out=place.day(2), adults=1,
    )  # fmt: skip
    page = admin_client.get(reverse("admin:hotels_room_delete", args=[room.pk]))
    action = admin_client.post(
        reverse("admin:hotels_room_changelist"), {"action": "delete_through_service", "_selected_action": [room.pk]}
    )
    room.refresh_from_db()
    assert page.status_code == 403  # no delete for a room guests were promised
    assert not room.is_deleted
    shown = [str(message) for message in get_messages(action.wsgi_request)]
    assert any("This room has current or future bookings; move them first." in line for line in shown)


def test_the_admin_deletes_a_free_room_through_the_service_with_its_audit_line(admin_client):
    place = make_hotel(rooms=1)
    room = place.rooms[0]
    answer = admin_client.post(reverse("admin:hotels_room_delete", args=[room.pk]), {"post": "yes"})
    room.refresh_from_db()
    assert answer.status_code == 302
    assert room.is_deleted
    assert audit_lines("hotels.room", room.pk, "soft_delete")


def test_the_admin_keeps_a_room_type_that_still_has_rooms(admin_client):
    place = make_hotel(rooms=1)
    answer = admin_client.post(
        reverse("admin:hotels_roomtype_changelist"),
        {"action": "delete_through_service", "_selected_action": [place.room_type.pk]},
    )
    assert answer.status_code == 302
    assert RoomType.objects.filter(pk=place.room_type.pk).exists()
    listing = admin_client.get(reverse("admin:hotels_roomtype_changelist")).content.decode()
    assert 'value="delete_selected"' not in listing and 'value="delete_through_service"' in listing
