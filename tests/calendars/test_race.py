"""A guest books the last room while a channel's feed claims the same nights: the room is sold once."""

from __future__ import annotations

import pytest

from apps.bookings import services
from apps.bookings.models import Booking, RoomBlock
from apps.calendars.models import ChannelStay
from apps.calendars.services import channel_sync
from apps.core.errors import RoomUnavailable
from tests.bookings.conftest import make_hotel
from tests.calendars.conftest import event, ics
from tests.concurrency import race
from tests.factories import ChannelFactory, UserFactory


@pytest.mark.parametrize("offset", [0, 3, 6, 9, 12])
@pytest.mark.django_db(transaction=True)
def test_a_booking_and_an_import_racing_for_the_last_room_never_both_get_it(offset):
    place = make_hotel(rooms=1)
    channel = ChannelFactory(room_type=place.room_type)
    guest = UserFactory()
    first, last = place.day(offset), place.day(offset + 2)
    feed = ics(event("race", first, last))

    outcomes = race(
        [
            lambda: services.booking_create(
                guest=guest, hotel=place.hotel, room_type=place.room_type, check_in=first, check_out=last, adults=1
            ),
            lambda: channel_sync(channel=channel, body=feed),
        ],
        expected=(RoomUnavailable,),
    )

    booked = Booking.objects.filter(hotel=place.hotel, status__in=Booking.ACTIVE_STATUSES).count()
    blocked = RoomBlock.objects.filter(hotel=place.hotel).count()
    stay = ChannelStay.objects.get(channel=channel)
    assert booked + blocked == 1, outcomes
    assert stay.conflict == (booked == 1) and (stay.block_id is not None) == (blocked == 1)
    assert isinstance(outcomes[0], RoomUnavailable) == (blocked == 1)
    assert outcomes[1].error == ""
