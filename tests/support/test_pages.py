"""Help pages: the guest's tickets and thread, and the staff queue and ticket page (htmx inline work)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.support import services
from apps.support.models import Ticket, TicketAttachment
from tests.factories import TicketFactory, UserFactory
from tests.support.conftest import EXE, PNG, upload

pytestmark = pytest.mark.django_db
INTERNAL = "Check the card on file before answering"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_guest_opens_a_ticket_from_a_booking_with_a_file(place, guest, booking):
    client = signed_in(guest)
    form = client.get(f"/help/new/?booking={booking.reference}").content.decode()
    assert f'value="{booking.reference}" selected' in form
    response = client.post(
        "/help/new/",
        {
            "hotel": place.hotel.slug,
            "booking": booking.reference,
            "subject": "Crib",
            "category": "room",
            "priority": "normal",
            "message": "Can we have a crib?",
            "files": [upload("crib.png", PNG)],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/help/{ticket.pk}/"
    assert ticket.booking == booking and TicketAttachment.objects.get().name == "crib.png"
    page = client.get(f"/help/{ticket.pk}/").content.decode()
    assert "Can we have a crib?" in page and "crib.png" in page


def test_a_bad_file_on_the_form_names_it_and_saves_nothing(place, guest):
    response = signed_in(guest).post(
        "/help/new/",
        {"hotel": place.hotel.slug, "subject": "x", "category": "other", "priority": "low", "message": "x",
         "files": [upload("photo.png", EXE)]},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 400 and "photo.png is not a JPEG" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_guest_never_sees_an_internal_note_on_the_page(ticket, guest, desk):
    services.ticket_reply(ticket=ticket, author=desk, body=INTERNAL, internal=True)
    services.ticket_reply(ticket=ticket, author=desk, body="The desk is open all night.")
    page = signed_in(guest).get(f"/help/{ticket.pk}/").content.decode()
    assert "The desk is open all night." in page and INTERNAL not in page
    assert "Internal note" not in page
    staff_page = signed_in(desk).get(f"/staff/tickets/{ticket.pk}/").content.decode()
    assert INTERNAL in staff_page and "Internal note" in staff_page


def test_guest_replies_inline(ticket, guest):
    response = signed_in(guest).post(f"/help/{ticket.pk}/", {"body": "Also, a late check-out?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Also, a late check-out?" in response.content.decode()
    assert ticket.messages.count() == 2


def test_the_desk_answers_assigns_and_resolves_inline(ticket, desk):
    client = signed_in(desk)
    assigned = client.post(f"/staff/tickets/{ticket.pk}/update/", {"assign": "me"}, HTTP_HX_REQUEST="true")
    assert assigned.status_code == 200
    ticket.refresh_from_db()
    assert ticket.assignee == desk
    note = client.post(
        f"/staff/tickets/{ticket.pk}/reply/", {"body": INTERNAL, "internal": "on"}, HTTP_HX_REQUEST="true"
    )
    assert note.status_code == 200 and INTERNAL in note.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"  # a note is not an answer
    answer = client.post(f"/staff/tickets/{ticket.pk}/reply/", {"body": "Yes, open 24h."}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "waiting_on_guest"
    done = client.post(
        f"/staff/tickets/{ticket.pk}/update/", {"status": "resolved", "priority": "low"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == ("resolved", "low")


def test_queue_filters_sorts_by_due_time_and_marks_overdue(place, guest, desk):
    now = timezone.now()
    later = TicketFactory(hotel=place.hotel, guest=guest, subject="Later", due_at=now + timedelta(hours=5))
    late = TicketFactory(hotel=place.hotel, guest=guest, subject="Late", due_at=now - timedelta(hours=1))
    TicketFactory(hotel=place.hotel, guest=guest, subject="Done", status="resolved", resolved_at=now, due_at=None)
    mine = TicketFactory(hotel=place.hotel, guest=guest, subject="Mine", assignee=desk, priority="urgent")
    TicketFactory(subject="Elsewhere")  # another hotel's
    client = signed_in(desk)
    html = client.get("/staff/tickets/").content.decode()
    order = [html.index(f"#{t.pk} {t.subject}</a>") for t in (late, later, mine)]
    assert order == sorted(order) and "Done" not in html and "Elsewhere" not in html
    assert f'class="overdue" data-ticket="{late.pk}"' in html
    assert f'class="" data-ticket="{later.pk}"' in html
    overdue = client.get("/staff/tickets/", {"status": "live", "overdue": "on"}).content.decode()
    assert f"#{late.pk} Late</a>" in overdue and "Later" not in overdue
    assigned = client.get("/staff/tickets/", {"status": "live", "assignee": "me"}, HTTP_HX_REQUEST="true")
    assert f"#{mine.pk} Mine" in assigned.content.decode() and "Later" not in assigned.content.decode()
    urgent = client.get("/staff/tickets/", {"status": "live", "priority": "urgent"}).content.decode()
    assert "Mine" in urgent and "Late</a>" not in urgent
    resolved = client.get("/staff/tickets/", {"status": "resolved"}).content.decode()
    assert "Done" in resolved


def test_queue_rows_escape_what_guests_wrote_and_name_people(place, desk):
    guest = UserFactory(first_name="<b>Eve</b>", last_name="", email="eve@example.com")
    nameless = UserFactory(first_name="", last_name="", email="nameless@example.com")
    TicketFactory(hotel=place.hotel, guest=guest, subject="<script>alert(1)</script>", assignee=desk)
    TicketFactory(hotel=place.hotel, guest=nameless, subject="Towels", priority="high")
    html = signed_in(desk).get("/staff/tickets/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html and "<td>nameless@example.com</td>" in html
    assert f"<td>{desk.get_full_name()}</td>" in html and "<td>—</td>" in html
    assert '<td class="priority-high">High</td>' in html and '<span class="status ticket-open">Open</span>' in html


def test_queue_partial_reads_no_unread_count(place, guest, desk, django_assert_max_num_queries):
    TicketFactory(hotel=place.hotel, guest=guest)
    client = signed_in(desk)
    client.get("/staff/tickets/")  # warm: the permission cache, the session
    with django_assert_max_num_queries(15) as partial:
        assert client.get("/staff/tickets/", HTTP_HX_REQUEST="true").status_code == 200
    assert not [q for q in partial.captured_queries if "notifications_notification" in q["sql"]]
    with django_assert_max_num_queries(15) as page:
        assert 'aria-label="Notifications"' in client.get("/staff/tickets/").content.decode()
    assert [q for q in page.captured_queries if "notifications_notification" in q["sql"]]


def test_queue_queries_do_not_grow_with_the_tickets(place, guest, desk, django_assert_max_num_queries):
    TicketFactory(hotel=place.hotel, guest=guest)
    client = signed_in(desk)
    client.get("/staff/tickets/")  # warm: the permission cache, the session
    with django_assert_max_num_queries(15) as few:
        assert client.get("/staff/tickets/").status_code == 200
    counted = len(few.captured_queries)
    for _ in range(40):
        TicketFactory(hotel=place.hotel, guest=UserFactory(), assignee=desk)
    with django_assert_max_num_queries(counted):
        assert client.get("/staff/tickets/").status_code == 200


def test_ticket_page_queries_do_not_grow_with_the_thread(ticket, guest, desk, django_assert_max_num_queries):
    client = signed_in(desk)
    client.get(f"/staff/tickets/{ticket.pk}/")  # warm: the permission cache, the session
    with django_assert_max_num_queries(20) as few:
        client.get(f"/staff/tickets/{ticket.pk}/")
    counted = len(few.captured_queries)
    for n in range(10):
        services.ticket_reply(
            ticket=ticket, author=desk if n % 2 else guest, body=f"m{n}", files=[upload("a.png", PNG)]
        )
    with django_assert_max_num_queries(counted):
        assert client.get(f"/staff/tickets/{ticket.pk}/").status_code == 200


def test_only_staff_open_the_queue(guest, desk):
    assert signed_in(guest).get("/staff/tickets/").status_code == 403
    assert signed_in(desk).get("/staff/tickets/").status_code == 200


def test_a_stranger_cannot_open_someone_elses_ticket_page(ticket, desk):
    stranger = signed_in(UserFactory())
    assert stranger.get(f"/help/{ticket.pk}/").status_code == 404
    assert stranger.get(f"/staff/tickets/{ticket.pk}/").status_code == 404
    assert signed_in(ticket.guest).get(f"/staff/tickets/{ticket.pk}/").status_code == 403


def test_my_bookings_links_get_help(booking, guest):
    html = signed_in(guest).get("/bookings/").content.decode()
    assert f"/help/new/?booking={booking.reference}" in html
