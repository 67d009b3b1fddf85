"""Channel calendars: the export feed, the import through the booking engine's blocks, bad feeds, the API and pages."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from apps.bookings.models import Booking, RoomBlock
from apps.bookings.selectors import stay_rooms_left
from apps.calendars.models import Channel, ChannelStay
from apps.calendars.services import channel_create, channel_rotate_export, channel_sync
from apps.calendars.tasks import sync_channels
from apps.notifications.models import Notification
from tests.bookings.conftest import make_hotel
from tests.calendars.conftest import client_for, event, ics
from tests.factories import BookingFactory, ChannelFactory, RoomBlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list[tuple[object, object]]:
    calendar = icalendar.Calendar.from_ical(body)
    return sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in calendar.walk("VEVENT"))


def _live_blocks(place) -> list[tuple[object, object]]:
    return sorted(RoomBlock.objects.filter(hotel=place.hotel).values_list("start", "end"))


# --- Export ------------------------------------------------------------------------------------


def test_export_lists_only_nights_no_room_is_left_for_and_no_guest_data(place, client):
    guest = UserFactory(first_name="Zelda", last_name="Quartz", email="zelda@example.com")
    a, b = place.rooms
    first = BookingFactory(guest=guest, room=a, check_in=place.day(0), check_out=place.day(3))
    BookingFactory(guest=guest, room=b, check_in=place.day(1), check_out=place.day(2))
    BookingFactory(guest=guest, room=a, check_in=place.day(5), check_out=place.day(6))
    RoomBlockFactory(room=b, start=place.day(5), end=place.day(7))
    BookingFactory(guest=guest, room=b, check_in=place.day(8), check_out=place.day(9), status="cancelled")
    channel = ChannelFactory(room_type=place.room_type)

    response = client.get(reverse("calendars:export", args=[channel.export_token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert _events(response.content) == [(place.day(1), place.day(2)), (place.day(5), place.day(6))]
    text = response.content.decode()
    for personal in ("Zelda", "Quartz", "zelda@example.com", first.reference):
        assert personal not in text


def test_rotating_the_export_secret_retires_the_old_url(place, client):
    channel = ChannelFactory(room_type=place.room_type)
    old = reverse("calendars:export", args=[channel.export_token])
    channel_rotate_export(channel=channel)

    assert client.get(old).status_code == 404
    assert client.get(reverse("calendars:export", args=[channel.export_token])).status_code == 200


def test_an_unknown_export_secret_is_a_404(client):
    assert client.get(reverse("calendars:export", args=["nothing-here"])).status_code == 404


# --- Import ------------------------------------------------------------------------------------


def test_export_then_import_round_trips_blocks(place, client, feed_server):
    a, b = place.rooms
    BookingFactory(room=a, check_in=place.day(0), check_out=place.day(4))
    BookingFactory(room=b, check_in=place.day(2), check_out=place.day(6))
    RoomBlockFactory(room=a, start=place.day(10), end=place.day(12))
    RoomBlockFactory(room=b, start=place.day(10), end=place.day(13))
    source = ChannelFactory(room_type=place.room_type)
    exported = client.get(reverse("calendars:export", args=[source.export_token])).content
    other = make_hotel(rooms=1)
    feed_server.feeds["/other.ics"] = exported
    channel = channel_create(
        hotel=other.hotel, room_type=other.room_type, name="Sister hotel", import_url=feed_server.url("/other.ics")
    )

    result = channel_sync(channel=channel)

    assert result.error == "" and result.blocked == 2 and not result.conflicts
    assert _live_blocks(other) == [(place.day(2), place.day(4)), (place.day(10), place.day(12))]
    assert stay_rooms_left(room_type=other.room_type, check_in=place.day(3), check_out=place.day(4)) == 0
    # Exported again from the importing side, the same nights come back.
    mirror = ChannelFactory(room_type=other.room_type)
    again = client.get(reverse("calendars:export", args=[mirror.export_token])).content
    assert _events(again) == _events(exported)


def test_import_is_idempotent_on_uid_and_follows_changes_and_cancellations(place, feed_server):
    feed_server.feeds["/a.ics"] = ics(
        event("stay-1@airbnb", place.day(0), place.day(2)), event("stay-2@airbnb", place.day(5), place.day(7))
    )
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/a.ics"))
    assert channel_sync(channel=channel).blocked == 2

    # The same events in another order: a new body, read in full, and nothing to do.
    feed_server.feeds["/a.ics"] = ics(
        event("stay-2@airbnb", place.day(5), place.day(7)), event("stay-1@airbnb", place.day(0), place.day(2))
    )
    second = channel_sync(channel=channel)
    assert (second.blocked, second.released, second.unchanged, second.error) == (0, 0, 2, "")
    assert RoomBlock.objects.filter(hotel=place.hotel).count() == 2

    feed_server.feeds["/a.ics"] = ics(
        event("stay-1@airbnb", place.day(0), place.day(3)),  # one more night
        event("stay-2@airbnb", place.day(5), place.day(7), status="CANCELLED"),
        event("stay-3@airbnb", place.day(9), place.day(10)),
    )
    third = channel_sync(channel=channel)

    assert (third.blocked, third.released, third.unchanged) == (2, 1, 0)
    assert _live_blocks(place) == [(place.day(0), place.day(3)), (place.day(9), place.day(10))]
    assert set(ChannelStay.objects.values_list("uid", flat=True)) == {"stay-1@airbnb", "stay-3@airbnb"}

    feed_server.feeds["/a.ics"] = ics(event("stay-3@airbnb", place.day(9), place.day(10)))
    fourth = channel_sync(channel=channel)
    assert (fourth.released, fourth.unchanged) == (1, 1)
    assert _live_blocks(place) == [(place.day(9), place.day(10))]


def test_conditional_get_sends_the_last_validators_and_a_304_changes_nothing(place, feed_server):
    feed_server.feeds["/c.ics"] = ics(event("x", place.day(0), place.day(1)))
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/c.ics"))
    channel_sync(channel=channel)

    result = channel_sync(channel=channel)

    assert result.not_modified
    assert feed_server.requests[-1]["if-none-match"] == Channel.objects.get(pk=channel.pk).feed_etag
    assert RoomBlock.objects.filter(hotel=place.hotel).count() == 1


def test_nights_already_sold_here_are_a_conflict_told_to_staff_never_overbooked(place, manager, feed_server):
    a, b = place.rooms
    BookingFactory(room=a, check_in=place.day(0), check_out=place.day(3))
    BookingFactory(room=b, check_in=place.day(1), check_out=place.day(2))
    feed_server.feeds["/x.ics"] = ics(
        event("sold-twice", place.day(1), place.day(3)), event("fine", place.day(4), place.day(5))
    )
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/x.ics"))

    result = channel_sync(channel=channel)

    assert result.blocked == 1
    assert [(s.uid, s.start, s.end) for s in result.conflicts] == [("sold-twice", place.day(1), place.day(3))]
    assert _live_blocks(place) == [(place.day(4), place.day(5))]
    assert Booking.objects.filter(hotel=place.hotel, status="confirmed").count() == 2
    told = Notification.objects.filter(user=manager, kind="staff_channel_conflict")
    assert told.count() == 1
    # The next import tries again without telling the staff a second time.
    feed_server.feeds["/x.ics"] += b"\r\n"
    channel_sync(channel=channel)
    assert told.count() == 1
    assert ChannelStay.objects.get(uid="sold-twice").conflict


def test_a_conflict_is_held_once_the_stay_here_is_gone(place, feed_server):
    booking = BookingFactory(room=place.rooms[0], check_in=place.day(0), check_out=place.day(2))
    BookingFactory(room=place.rooms[1], check_in=place.day(0), check_out=place.day(2))
    feed_server.feeds["/y.ics"] = ics(event("later", place.day(1), place.day(2)))
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/y.ics"))
    assert channel_sync(channel=channel).conflicts
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    feed_server.feeds["/y.ics"] += b"\r\n"

    result = channel_sync(channel=channel)

    assert result.blocked == 1 and not result.conflicts
    assert not ChannelStay.objects.get(uid="later").conflict


def _twenty_five_hundred_and_one(place) -> bytes:
    return ics(*(event(f"e{n}", place.day(n % 300), place.day(n % 300 + 1)) for n in range(2501)))


@pytest.mark.parametrize(
    ("feed", "says"),
    [
        (lambda place: b"<html>Sign in to see your calendar</html>", "not valid iCal"),
        (lambda place: ics(event("open", place.day(20), None)), "has no end"),
        (lambda place: ics(event("back", place.day(22), place.day(20))), "ends before it starts"),
        (_twenty_five_hundred_and_one, "2501 events"),
    ],
    ids=["not-ical", "no-end", "backwards", "thousands"],
)
def test_a_bad_feed_is_the_last_error_and_changes_nothing(place, feed_server, feed, says):
    feed_server.feeds["/bad.ics"] = ics(event("kept", place.day(0), place.day(2)))
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/bad.ics"))
    channel_sync(channel=channel)
    feed_server.feeds["/bad.ics"] = feed(place)

    result = channel_sync(channel=channel)

    channel.refresh_from_db()
    assert says in result.error and says in channel.last_error
    assert _live_blocks(place) == [(place.day(0), place.day(2))]
    assert list(ChannelStay.objects.values_list("uid", flat=True)) == ["kept"]


def test_a_feed_that_times_out_or_is_too_large_is_refused(place, feed_server, settings):
    settings.CHANNEL_IMPORT_TIMEOUT_SECONDS = 0.5
    settings.CHANNEL_IMPORT_MAX_BYTES = 4096
    feed_server.feeds["/slow.ics"] = ics(event("s", place.day(0), place.day(1)))
    feed_server.slow.add("/slow.ics")
    feed_server.feeds["/big.ics"] = ics(*(event(f"b{n}", place.day(n), place.day(n + 1)) for n in range(60)))
    slow = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/slow.ics"))
    big = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/big.ics"))
    missing = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/gone.ics"))

    assert "did not answer within" in channel_sync(channel=slow).error
    assert "larger than 4 kB" in channel_sync(channel=big).error
    assert "HTTP 404" in channel_sync(channel=missing).error
    assert not RoomBlock.objects.filter(hotel=place.hotel).exists()


def test_import_urls_must_be_public_https(place, settings):
    settings.CHANNEL_IMPORT_ALLOW_PRIVATE = False
    from apps.core.errors import ValidationFailed

    for url in ("http://example.com/cal.ics", "https://127.0.0.1/cal.ics", "https://10.1.2.3/x.ics", "ftp://x/y"):
        with pytest.raises(ValidationFailed) as refused:
            channel_create(hotel=place.hotel, room_type=place.room_type, name="Bad", import_url=url)
        assert "import_url" in refused.value.fields
    assert not Channel.objects.exists()


class _Resolver:
    """A name server that answers each lookup of a name in turn from `answers` (the last one repeated)."""

    def __init__(self, *answers: str) -> None:
        self.answers, self.asked = list(answers), 0

    def __call__(self, host, port, *args, **kwargs):
        answer = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        return [(2, 1, 6, "", (answer, port))]


def test_a_name_that_turns_private_after_the_check_is_never_connected_to(place, settings, monkeypatch):
    """DNS rebinding: public for the URL check, 127.0.0.1 for the connection. The connection resolves and
    checks in one step, so nothing is ever sent inside."""
    settings.CHANNEL_IMPORT_ALLOW_PRIVATE = False
    connected = []
    monkeypatch.setattr("apps.calendars.feeds.socket.getaddrinfo", _Resolver("93.184.216.34", "127.0.0.1"))
    monkeypatch.setattr(
        "apps.calendars.feeds.socket.create_connection", lambda address, *args, **kwargs: connected.append(address)
    )
    channel = ChannelFactory(room_type=place.room_type, import_url="https://rebind.example/cal.ics")

    synced = channel_sync(channel=channel)

    assert "private or local" in synced.error
    assert connected == []
    assert not RoomBlock.objects.filter(hotel=place.hotel).exists()


def test_a_public_feed_is_fetched_from_the_address_that_was_checked(place, settings, monkeypatch):
    settings.CHANNEL_IMPORT_ALLOW_PRIVATE = False
    connected = []

    def refuse(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr("apps.calendars.feeds.socket.getaddrinfo", _Resolver("93.184.216.34"))
    monkeypatch.setattr("apps.calendars.feeds.socket.create_connection", refuse)
    channel = ChannelFactory(room_type=place.room_type, import_url="https://feeds.example/cal.ics")

    synced = channel_sync(channel=channel)

    assert connected == [("93.184.216.34", 443)]
    assert "could not be reached" in synced.error


def test_the_periodic_job_imports_every_channel_with_a_feed(place, feed_server):
    feed_server.feeds["/p.ics"] = ics(event("p", place.day(3), place.day(4)))
    ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/p.ics"))
    ChannelFactory(room_type=place.room_type)  # export only

    assert sync_channels.call() == 1

    assert _live_blocks(place) == [(place.day(3), place.day(4))]


def test_removing_a_channel_releases_its_nights(place, feed_server, manager):
    feed_server.feeds["/r.ics"] = ics(event("r", place.day(3), place.day(4)))
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/r.ics"))
    channel_sync(channel=channel)

    response = client_for(manager).delete(f"/api/v1/channels/{channel.pk}/")

    assert response.status_code == 204
    assert not RoomBlock.objects.filter(hotel=place.hotel).exists()
    assert stay_rooms_left(room_type=place.room_type, check_in=place.day(3), check_out=place.day(4)) == 2


# --- API and pages -----------------------------------------------------------------------------


def test_the_api_adds_lists_syncs_and_rotates_channels(place, manager, feed_server):
    api = client_for(manager)
    feed_server.feeds["/api.ics"] = ics(event("q", place.day(1), place.day(2)))

    created = api.post(
        f"/api/v1/hotels/{place.hotel.slug}/channels/",
        {"name": "Airbnb", "room_type": place.room_type.pk, "import_url": feed_server.url("/api.ics")},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert set(body) == {"id", "name", "hotel", "room_type", "export_url", "import_url", "last_sync_at", "last_error"}
    assert api.get(f"/api/v1/hotels/{place.hotel.slug}/channels/").json()[0]["id"] == body["id"]

    synced = api.post(f"/api/v1/channels/{body['id']}/sync/")
    assert synced.status_code == 200
    assert synced.json()["blocked"] == 1 and synced.json()["channel"]["last_sync_at"]

    old_export = body["export_url"]
    rotated = api.post(f"/api/v1/channels/{body['id']}/rotate/").json()
    assert rotated["export_url"] != old_export
    assert api.get(old_export).status_code == 404
    assert api.get(rotated["export_url"]).status_code == 200

    renamed = api.patch(f"/api/v1/channels/{body['id']}/", {"name": "Airbnb (Lisbon)"}, format="json")
    assert renamed.json()["name"] == "Airbnb (Lisbon)"
    twice = api.post(
        f"/api/v1/hotels/{place.hotel.slug}/channels/",
        {"name": "Airbnb (Lisbon)", "room_type": place.room_type.pk},
        format="json",
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "conflict"


def test_a_bad_feed_answers_the_sync_with_its_error(place, manager, feed_server):
    feed_server.feeds["/broken.ics"] = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n"
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/broken.ics"))

    response = client_for(manager).post(f"/api/v1/channels/{channel.pk}/sync/")

    assert response.status_code == 200
    assert response.json()["error"] and response.json()["channel"]["last_error"] == response.json()["error"]


def test_channels_are_for_the_hotels_managers(place, desk):
    channel = ChannelFactory(room_type=place.room_type)
    other_manager = UserFactory()
    other = make_hotel(rooms=1)
    from apps.accounts.roles import HOTEL_MANAGER
    from apps.accounts.services import object_role_grant

    object_role_grant(user=other_manager, role=HOTEL_MANAGER, scope=other.hotel)

    assert client_for(desk).get(f"/api/v1/channels/{channel.pk}/").status_code == 403
    assert client_for(other_manager).get(f"/api/v1/channels/{channel.pk}/").status_code == 404
    assert client_for(None).get(f"/api/v1/hotels/{place.hotel.slug}/channels/").status_code == 401
    refused = client_for(other_manager).post(
        f"/api/v1/hotels/{place.hotel.slug}/channels/", {"name": "X", "room_type": place.room_type.pk}, format="json"
    )
    assert refused.status_code == 404


def test_staff_pages_add_a_channel_and_show_its_sync_and_conflicts(place, manager, client, feed_server):
    BookingFactory(room=place.rooms[0], check_in=place.day(0), check_out=place.day(1))
    BookingFactory(room=place.rooms[1], check_in=place.day(0), check_out=place.day(1))
    feed_server.feeds["/page.ics"] = ics(event("busy", place.day(0), place.day(1)))
    client.force_login(manager)

    added = client.post(
        reverse("calendars:staff-new", args=[place.hotel.slug]),
        {"name": "Vrbo", "room_type": place.room_type.pk, "import_url": feed_server.url("/page.ics")},
    )
    assert added.status_code == 302
    channel = Channel.objects.get(name="Vrbo")
    hotel_page = client.get(reverse("staff:hotel", args=[place.hotel.slug])).content.decode()
    assert "Vrbo" in hotel_page and reverse("calendars:staff-channel", args=[channel.pk]) in hotel_page

    client.post(reverse("calendars:staff-sync", args=[channel.pk]))
    page = client.get(reverse("calendars:staff-channel", args=[channel.pk])).content.decode()
    assert channel.export_token in page
    assert place.day(0).strftime("%Y") in page and "No conflicts." not in page

    client.post(reverse("calendars:staff-rotate", args=[channel.pk]))
    channel.refresh_from_db()
    assert channel.export_token in client.get(reverse("calendars:staff-channel", args=[channel.pk])).content.decode()


def test_past_nights_are_never_blocked(place, feed_server):
    today = place.day(-7)
    feed_server.feeds["/past.ics"] = ics(
        event("over", today - timedelta(days=5), today - timedelta(days=2)),
        event("ongoing", today - timedelta(days=2), today + timedelta(days=2)),
    )
    channel = ChannelFactory(room_type=place.room_type, import_url=feed_server.url("/past.ics"))

    result = channel_sync(channel=channel)

    assert result.blocked == 1 and result.error == ""
    assert _live_blocks(place) == [(today, today + timedelta(days=2))]
    assert channel_sync(channel=channel).not_modified
