"""Rooms out of order for some nights: never sold, never handed out, refused over existing stays."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from apps.audit.models import OutboxEntry
from apps.bookings import selectors, services
from apps.bookings.inventory import inventory_drift
from apps.bookings.models import Booking, RoomBlock
from apps.bookings.selectors import availability_search
from apps.core.errors import Conflict, RoomUnavailable, ValidationFailed
from apps.hotels.models import Room
from apps.hotels.services import room_set_housekeeping
from tests.bookings.conftest import make_hotel
from tests.bookings.test_services import book, confirmed
from tests.factories import RoomBlockFactory

pytestmark = pytest.mark.django_db


def block(place, room, first: int, last: int, reason: str = "Leaking shower") -> RoomBlock:
    return services.room_block_create(room=room, start=place.day(first), end=place.day(last), reason=reason)


def rooms_left(place, first: int, last: int) -> int:
    found = availability_search(hotel=place.hotel, check_in=place.day(first), check_out=place.day(last), adults=1)
    return found[0].rooms_left


def test_a_blocked_night_is_not_sold_exactly_like_a_booked_one(small_hotel):
    assert rooms_left(small_hotel, 0, 3) == 3
    block(small_hotel, small_hotel.rooms[0], 1, 2)
    assert rooms_left(small_hotel, 0, 3) == 2  # any stay touching night 1 loses the room
    assert rooms_left(small_hotel, 1, 2) == 2
    assert rooms_left(small_hotel, 2, 4) == 3  # the block's end night is back in order
    assert rooms_left(small_hotel, -1, 1) == 3  # a stay leaving on the block's first night is fine


def test_booking_never_gets_a_blocked_room_and_sells_out_when_all_are_blocked(one_room_hotel):
    room = one_room_hotel.rooms[0]
    block(one_room_hotel, room, 2, 4)
    with pytest.raises(RoomUnavailable):
        book(one_room_hotel, 3, 5)
    assert Booking.objects.count() == 0
    assert book(one_room_hotel, 0, 2).room_id == room.pk  # back-to-back with the block


def test_the_room_choice_skips_the_blocked_room(small_hotel):
    first = Room.objects.filter(room_type=small_hotel.room_type).order_by("floor", "number").first()
    block(small_hotel, first, 0, 5)
    booking = book(small_hotel, 1, 3)
    assert booking.room_id != first.pk


def test_a_block_over_stays_is_refused_with_the_stays_to_move(small_hotel):
    stay = book(small_hotel, 2, 4)
    room = stay.room
    with pytest.raises(Conflict) as refused:
        block(small_hotel, room, 0, 3)
    assert refused.value.status == 409
    assert refused.value.fields["stays"] == [stay.reference]
    assert stay.reference in refused.value.message
    assert not RoomBlock.objects.exists()
    # A cancelled stay no longer holds the night.
    services.booking_cancel(booking=stay)
    assert block(small_hotel, room, 0, 3).nights == 3


def test_moving_a_stay_into_a_blocked_room_is_refused(small_hotel):
    booking = confirmed(small_hotel, 0, 3)
    other = next(room for room in small_hotel.rooms if room.pk != booking.room_id)
    block(small_hotel, other, 2, 3)
    with pytest.raises(RoomUnavailable):
        services.booking_assign_room(booking=booking, room=other)
    assert other not in selectors.rooms_free_for_stay(booking=booking)


def test_overlapping_blocks_of_one_room_are_refused_and_bad_input_is_a_400(small_hotel):
    room = small_hotel.rooms[0]
    block(small_hotel, room, 0, 3)
    with pytest.raises(Conflict, match="already out of order"):
        block(small_hotel, room, 2, 5)
    with pytest.raises(ValidationFailed) as bad:
        services.room_block_create(room=room, start=small_hotel.day(9), end=small_hotel.day(8), reason=" ")
    assert set(bad.value.fields) == {"end", "reason"}
    with pytest.raises(ValidationFailed) as past:
        services.room_block_create(room=room, start=small_hotel.day(-30), end=small_hotel.day(-29), reason="x")
    assert "start" in past.value.fields
    assert RoomBlock.objects.count() == 1


def test_a_removed_block_sells_its_nights_again_and_both_are_audited(db):
    one = make_hotel(rooms=1)
    made = block(one, one.rooms[0], 0, 2)
    assert rooms_left(one, 0, 2) == 0
    services.room_block_delete(block=made)
    assert rooms_left(one, 0, 2) == 1
    lines = OutboxEntry.objects.filter(
        collection="audit_logs", document__entity="bookings.roomblock", document__entity_id=str(made.pk)
    )
    assert [line.document["action"] for line in lines.order_by("pk")] == ["create", "soft_delete"]


def test_housekeeping_changes_are_audited_including_check_out(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    noon = datetime.combine(small_hotel.day(0), time(12), tzinfo=small_hotel.hotel.zone)
    services.booking_check_in(booking=booking, now=noon)
    services.booking_check_out(
        booking=booking, now=noon + timedelta(days=2), leave_open_reason="Invoiced to the company"
    )
    room_set_housekeeping(room=booking.room, housekeeping="inspected")
    lines = OutboxEntry.objects.filter(
        collection="audit_logs", document__entity="hotels.room", document__entity_id=str(booking.room_id)
    ).filter(document__action="update")
    changes = [line.document["changes"]["housekeeping"] for line in lines.order_by("pk")]
    assert changes == [["clean", "dirty"], ["dirty", "inspected"]]


def test_suggested_room_prefers_a_clean_room_of_the_type(small_hotel):
    booking = confirmed(small_hotel, 0, 2)
    room_set_housekeeping(room=booking.room, housekeeping="dirty")
    rooms = selectors.rooms_free_for_stay(booking=booking)
    suggested = selectors.suggested_room(booking=booking, rooms=rooms)
    assert suggested is not None and suggested.pk != booking.room_id
    assert suggested.housekeeping in ("clean", "inspected")
    assert [room.housekeeping for room in rooms][-1] == "dirty"  # the dirty own room comes last


def test_the_factory_makes_a_valid_block(db):
    made = RoomBlockFactory()
    assert made.nights == 2 and made.hotel_id == made.room.hotel_id
    assert made.end - made.start == timedelta(days=2)


# --- Many blocks at once (a channel's feed) ---------------------------------------------------------------


def wanted(place, room, first: int, last: int) -> services.BlockWanted:
    return services.BlockWanted(room=room, start=place.day(first), end=place.day(last))


def block_lines(action: str):
    return OutboxEntry.objects.filter(
        collection="audit_logs", document__entity="bookings.roomblock", document__action=action
    )


def test_many_blocks_are_made_audited_and_counted_and_sold_nights_are_refused(small_hotel):
    first, second, third = small_hotel.rooms
    stay = book(small_hotel, 3, 5)
    block(small_hotel, second, 6, 8)
    items = [
        wanted(small_hotel, first, 0, 2),
        wanted(small_hotel, stay.room, 4, 6),  # a night the stay holds: refused
        wanted(small_hotel, second, 7, 9),  # a night the block above holds: refused
        wanted(small_hotel, third, 0, 3),
        wanted(small_hotel, third, 2, 4),  # the item before takes night 2 of the room: refused
        wanted(small_hotel, first, 10, 12),
    ]
    made = services.room_blocks_create_many(items=items, reason="Sold on Airbnb")
    assert [row is not None for row in made] == [True, False, False, True, False, True]
    stored = RoomBlock.objects.filter(reason="Sold on Airbnb")
    assert sorted((row.room_id, row.start, row.end) for row in stored) == sorted(
        (item.room.pk, item.start, item.end) for item, row in zip(items, made, strict=True) if row is not None
    )
    created = {line.document["entity_id"]: line.document for line in block_lines("create")}
    for row in made:
        if row is not None:
            assert created[str(row.pk)]["changes"]["reason"] == [None, "Sold on Airbnb"]
            assert created[str(row.pk)]["changes"]["room"] == [None, row.room_id]
    assert inventory_drift(small_hotel.hotel) == []
    assert rooms_left(small_hotel, 0, 1) == 1  # two of the three rooms are out of order on night 0
    assert rooms_left(small_hotel, 4, 5) == 2  # the refused block left the stay's room sold, nothing more


def test_many_blocks_released_at_once_sell_their_nights_again(small_hotel):
    items = [wanted(small_hotel, room, 0, 3) for room in small_hotel.rooms]
    made = services.room_blocks_create_many(items=items, reason="Sold on Vrbo")
    assert rooms_left(small_hotel, 0, 3) == 0
    assert services.room_blocks_delete_many(blocks=[row for row in made if row is not None]) == 3
    assert not RoomBlock.objects.exists()
    assert RoomBlock.all_objects.filter(is_deleted=True).count() == 3
    assert rooms_left(small_hotel, 0, 3) == 3
    assert inventory_drift(small_hotel.hotel) == []
    released = block_lines("soft_delete")
    assert sorted(line.document["entity_id"] for line in released) == sorted(str(row.pk) for row in made if row)
    assert all(line.document["changes"]["is_deleted"] == [False, True] for line in released)
    backups = OutboxEntry.objects.filter(collection="backup_data_collections", document__reason="soft_delete")
    assert backups.filter(document__entity="bookings.roomblock").count() == 3


def test_many_blocks_need_a_reason_and_skip_dates_a_block_cannot_have(small_hotel):
    room = small_hotel.rooms[0]
    with pytest.raises(ValidationFailed) as bad:
        services.room_blocks_create_many(items=[wanted(small_hotel, room, 0, 1)], reason="  ")
    assert "reason" in bad.value.fields
    made = services.room_blocks_create_many(
        items=[wanted(small_hotel, room, -30, -28), wanted(small_hotel, room, 5, 4), wanted(small_hotel, room, 1, 2)],
        reason="Sold on Booking.com",
    )
    assert [row is not None for row in made] == [False, False, True]
    assert RoomBlock.objects.count() == 1
