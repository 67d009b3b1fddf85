"""The catalogue and bookings are audited like accounts: a change is a line with its diff."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.audit.models import OutboxEntry
from apps.audit.services import AUDIT_LOGS, BACKUPS
from apps.bookings.services import booking_cancel, booking_create
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def lines(entity: str, entity_id: object) -> list[dict]:
    rows = OutboxEntry.objects.filter(
        collection=AUDIT_LOGS, document__entity=entity, document__entity_id=str(entity_id)
    ).order_by("pk")
    return [row.document for row in rows]


def test_a_rate_change_is_an_audit_line_with_its_diff():
    place = make_hotel(rooms=1)
    place.room_type.base_rate = Decimal("140.00")
    place.room_type.save()
    [update] = [line for line in lines("hotels.roomtype", place.room_type.pk) if line["action"] == "update"]
    assert update["changes"]["base_rate"] == ["100.00", "140.00"]


def test_a_cancelled_booking_is_an_audit_line_too():
    place = make_hotel(rooms=1)
    booking = booking_create(
        guest=UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(0),
        check_out=place.day(1),
        adults=1,
    )
    booking_cancel(booking=booking, reason="changed plans")
    actions = [line["action"] for line in lines("bookings.booking", booking.pk)]
    assert actions[0] == "create"
    cancel = lines("bookings.booking", booking.pk)[-1]
    assert cancel["changes"]["status"] == ["held", "cancelled"]


def test_a_deleted_room_leaves_a_backup():
    place = make_hotel(rooms=1)
    room = place.rooms[0]
    room.delete()
    backups = OutboxEntry.objects.filter(collection=BACKUPS, document__entity="hotels.room")
    assert backups.filter(document__entity_id=str(room.pk)).exists()
