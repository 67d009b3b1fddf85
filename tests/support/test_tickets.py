"""Tickets through the API and the services: the thread, internal notes, status, assignment and SLAs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications.models import Notification
from apps.support import services
from apps.support.models import SupportSettings, Ticket, TicketMessage
from tests.factories import HotelFactory, UserFactory
from tests.support.conftest import client_for

pytestmark = pytest.mark.django_db
INTERNAL = "Guest is a VIP, comp the late check-in fee"


def test_guest_opens_a_ticket_about_their_booking(place, guest, booking, desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(guest).post(
            "/api/v1/tickets/",
            {
                "hotel": place.hotel.slug,
                "booking": booking.reference,
                "subject": "Parking",
                "category": "room",
                "priority": "high",
                "message": "Is there parking nearby?",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["view"] == "guest" and data["status"] == "open" and data["booking"] == booking.reference
    assert "assignee" not in data and "first_response_due_at" not in data
    ticket = Ticket.objects.get(pk=data["id"])
    # High priority: first response within 4 hours, resolution within 24 (the defaults).
    assert ticket.first_response_due_at - ticket.created_at == timedelta(hours=4)
    assert ticket.resolution_due_at - ticket.created_at == timedelta(hours=24)
    assert ticket.due_at == ticket.first_response_due_at
    assert ticket.messages.get().body == "Is there parking nearby?"
    # The hotel's staff who answer tickets hear of it: on the bell and by email.
    told = Notification.objects.get(user=desk)
    assert told.kind == "staff_ticket_new" and told.link == f"/staff/tickets/{ticket.pk}/"
    assert [message.to for message in mail.outbox] == [[desk.email]]
    assert "Is there parking nearby?" in mail.outbox[0].body


def test_a_ticket_cannot_be_about_someone_elses_booking(place, booking):
    response = client_for(UserFactory()).post(
        "/api/v1/tickets/",
        {"hotel": place.hotel.slug, "booking": booking.reference, "subject": "x", "category": "other", "message": "x"},
        format="json",
    )
    assert response.status_code == 400 and "booking" in response.json()["error"]["fields"]
    assert not Ticket.objects.exists()


def test_bad_category_or_priority_is_refused(place, guest):
    for wrong in ({"category": "spa"}, {"priority": "asap"}):
        fields = {"hotel": place.hotel.slug, "subject": "x", "category": "other", "message": "x", **wrong}
        assert client_for(guest).post("/api/v1/tickets/", fields, format="json").status_code == 400
    assert not Ticket.objects.exists()


def test_internal_notes_never_reach_the_guest(ticket, guest, desk, django_capture_on_commit_callbacks):
    staff_client = client_for(desk)
    with django_capture_on_commit_callbacks(execute=True):
        note = staff_client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": INTERNAL, "internal": True})
        reply = staff_client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Yes, the desk is open 24 hours."})
    assert (note.status_code, reply.status_code) == (201, 201)
    guest_thread = client_for(guest).get(f"/api/v1/tickets/{ticket.pk}/messages/").json()["results"]
    assert [m["body"] for m in guest_thread] == [
        "We land at midnight. Is the desk open?",
        "Yes, the desk is open 24 hours.",
    ]
    assert INTERNAL not in str(guest_thread)
    staff_thread = staff_client.get(f"/api/v1/tickets/{ticket.pk}/messages/").json()["results"]
    assert [m["internal"] for m in staff_thread] == [False, True, False]
    # The email tells the guest the reply, never the note; nothing at all was sent for the note.
    assert [message.to for message in mail.outbox] == [[guest.email]]
    assert "24 hours" in mail.outbox[0].body and INTERNAL not in mail.outbox[0].body
    assert all(INTERNAL not in str(alternative) for alternative in mail.outbox[0].alternatives)


def test_a_guest_cannot_write_an_internal_note(ticket, guest):
    response = client_for(guest).post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "psst", "internal": True})
    assert response.status_code == 403
    assert ticket.messages.count() == 1


def test_status_follows_the_thread(ticket, guest, desk):
    client_for(desk).post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Yes."})
    ticket.refresh_from_db()
    assert ticket.status == "waiting_on_guest" and ticket.first_responded_at is not None
    assert ticket.due_at == ticket.resolution_due_at
    client_for(guest).post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Thanks, and breakfast?"})
    ticket.refresh_from_db()
    assert ticket.status == "waiting_on_hotel"


def test_a_guest_reply_reopens_a_resolved_ticket_within_fourteen_days(ticket, guest, desk):
    client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "resolved"}, format="json")
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.due_at is None
    services.ticket_reply(ticket=ticket, author=guest, body="One more thing", now=timezone.now() + timedelta(days=13))
    ticket.refresh_from_db()
    assert ticket.status == "waiting_on_hotel" and ticket.resolved_at is None and ticket.due_at is not None


def test_after_fourteen_days_a_resolved_ticket_takes_no_reply(ticket, guest, desk):
    services.ticket_update(ticket=ticket, actor=desk, status="resolved")
    with pytest.raises(services.InvalidState):
        services.ticket_reply(ticket=ticket, author=guest, body="Hello?", now=timezone.now() + timedelta(days=15))
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.messages.count() == 1


def test_a_closed_ticket_takes_no_reply(ticket, guest, desk):
    client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "closed"}, format="json")
    response = client_for(guest).post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Hello?"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"


def test_a_guest_setting_the_assignee_is_refused(ticket, guest, desk):
    response = client_for(guest).patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": desk.pk}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    for change in ({"status": "closed"}, {"priority": "urgent"}):
        assert client_for(guest).patch(f"/api/v1/tickets/{ticket.pk}/", change, format="json").status_code == 403
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status, ticket.priority) == (None, "open", "normal")


def test_staff_assign_to_their_hotels_staff_only(ticket, desk, manager):
    outsider = UserFactory()
    refused = client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": outsider.pk}, format="json")
    assert refused.status_code == 400 and "assignee" in refused.json()["error"]["fields"]
    done = client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": manager.pk}, format="json")
    assert done.status_code == 200 and done.json()["view"] == "staff"
    assert done.json()["assignee"]["id"] == manager.pk
    cleared = client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": None}, format="json")
    assert cleared.json()["assignee"] is None


def test_priority_change_moves_the_due_times(ticket, desk):
    response = client_for(desk).patch(f"/api/v1/tickets/{ticket.pk}/", {"priority": "urgent"}, format="json")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.first_response_due_at - ticket.created_at == timedelta(hours=1)
    assert ticket.resolution_due_at - ticket.created_at == timedelta(hours=8)


def test_due_times_follow_the_hotels_own_settings(place, guest):
    SupportSettings.objects.create(hotel=place.hotel, first_response_normal=30, resolution_normal=120)
    ticket = services.ticket_open(guest=guest, hotel=place.hotel, subject="x", category="other", message="x")
    assert ticket.first_response_due_at - ticket.created_at == timedelta(minutes=30)
    assert ticket.resolution_due_at - ticket.created_at == timedelta(minutes=120)


def test_breach_job_marks_late_tickets_once_and_tells_the_hotel(ticket, desk, django_capture_on_commit_callbacks):
    later = ticket.first_response_due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ticket_mark_breaches(now=later) == 1
        assert services.ticket_mark_breaches(now=later) == 0
    ticket.refresh_from_db()
    assert ticket.first_response_breached and not ticket.resolution_breached
    breach_mails = [message for message in mail.outbox if message.subject.startswith("Overdue")]
    assert len(breach_mails) == 1 and desk.email in breach_mails[0].to
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ticket_mark_breaches(now=ticket.resolution_due_at + timedelta(minutes=1)) == 1
    ticket.refresh_from_db()
    assert ticket.resolution_breached


def test_answered_in_time_is_no_breach(ticket, desk):
    services.ticket_reply(ticket=ticket, author=desk, body="On it.")
    assert services.ticket_mark_breaches(now=ticket.first_response_due_at + timedelta(minutes=1)) == 0
    ticket.refresh_from_db()
    assert not ticket.first_response_breached


def test_resolved_tickets_close_after_seven_quiet_days(ticket, desk):
    resolved_at = timezone.now()
    services.ticket_update(ticket=ticket, actor=desk, status="resolved", now=resolved_at)
    assert services.ticket_close_quiet(now=resolved_at + timedelta(days=6, hours=23)) == 0
    assert services.ticket_close_quiet(now=resolved_at + timedelta(days=7, minutes=1)) == 1
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_at is not None


def test_a_message_after_resolving_keeps_the_ticket_open_longer(ticket, desk):
    resolved_at = timezone.now()
    services.ticket_update(ticket=ticket, actor=desk, status="resolved", now=resolved_at)
    services.ticket_reply(ticket=ticket, author=desk, body="Note", internal=True, now=resolved_at + timedelta(days=5))
    assert services.ticket_close_quiet(now=resolved_at + timedelta(days=8)) == 0
    assert services.ticket_close_quiet(now=resolved_at + timedelta(days=12, minutes=1)) == 1


def test_scoping_guest_own_staff_their_hotels(ticket, guest, desk):
    other_hotel_ticket = services.ticket_open(
        guest=guest, hotel=HotelFactory(), subject="Elsewhere", category="other", message="x"
    )
    assert client_for(UserFactory()).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404
    assert client_for(desk).get(f"/api/v1/tickets/{other_hotel_ticket.pk}/").status_code == 404
    assert client_for(UserFactory()).post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "hi"}).status_code == 404
    mine = [t["id"] for t in client_for(guest).get("/api/v1/tickets/").json()["results"]]
    assert sorted(mine) == sorted([ticket.pk, other_hotel_ticket.pk])
    theirs = client_for(desk).get("/api/v1/tickets/").json()["results"]
    assert [(t["id"], t["view"]) for t in theirs] == [(ticket.pk, "staff")]


def test_list_filters_for_staff(ticket, place, guest, desk):
    urgent = services.ticket_open(
        guest=guest, hotel=place.hotel, subject="Leak", category="room", priority="urgent", message="Water!"
    )
    services.ticket_update(ticket=urgent, actor=desk, assignee=desk)
    client = client_for(desk)
    assert [t["id"] for t in client.get("/api/v1/tickets/?priority=urgent").json()["results"]] == [urgent.pk]
    assert [t["id"] for t in client.get("/api/v1/tickets/?assignee=me").json()["results"]] == [urgent.pk]
    assert [t["id"] for t in client.get("/api/v1/tickets/?assignee=none").json()["results"]] == [ticket.pk]
    assert client.get("/api/v1/tickets/?overdue=true").json()["results"] == []
    assert client.get("/api/v1/tickets/?assignee=someone").status_code == 400


def test_messages_are_written_by_the_right_side(ticket, desk):
    services.ticket_reply(ticket=ticket, author=desk, body="Staff here")
    assert list(TicketMessage.objects.filter(ticket=ticket).values_list("from_staff", flat=True)) == [False, True]
