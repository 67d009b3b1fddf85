"""Files on tickets: recognised by content, limited in size and number, served only to those who may see them."""

from __future__ import annotations

import pytest

from apps.support.models import TicketAttachment, TicketMessage, attachment_storage
from apps.support.services import ticket_reply
from tests.factories import UserFactory
from tests.support.conftest import EXE, JPEG, PDF, PNG, WEBP, big_file, client_for, upload

pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    storage = attachment_storage()
    found: set[str] = set()
    if not storage.exists("tickets"):  # type: ignore[attr-defined]
        return found
    for folder in storage.listdir("tickets")[0]:  # type: ignore[attr-defined]
        found |= {f"{folder}/{name}" for name in storage.listdir(f"tickets/{folder}")[1]}  # type: ignore[attr-defined]
    return found


def post_files(ticket, user, *files, **fields):
    return client_for(user).post(
        f"/api/v1/tickets/{ticket.pk}/messages/",
        {"body": "See attached", **fields, "files": list(files)},
        format="multipart",
    )


def test_images_and_pdfs_are_attached_and_served_to_those_who_may_see_them(ticket, guest, desk):
    response = post_files(
        ticket,
        guest,
        upload("room.png", PNG),
        upload("bill.jpg", JPEG),
        upload("view.webp", WEBP),
        upload("invoice.pdf", PDF),
    )
    assert response.status_code == 201, response.content
    attachments = response.json()["attachments"]
    assert [(a["name"], a["content_type"]) for a in attachments] == [
        ("room.png", "image/png"),
        ("bill.jpg", "image/jpeg"),
        ("view.webp", "image/webp"),
        ("invoice.pdf", "application/pdf"),
    ]
    url = attachments[0]["url"]
    assert url.startswith("http://testserver/api/v1/attachments/")
    for viewer in (guest, desk):
        served = client_for(viewer).get(url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == PNG
        assert served["Content-Type"] == "image/png"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served["Content-Disposition"] == 'attachment; filename="room.png"'
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    # Stored through the storage API, away from MEDIA_ROOT and with no public URL.
    stored = TicketAttachment.objects.get(name="room.png").file
    assert not stored.name.endswith("room.png") and stored.name.startswith(f"tickets/{ticket.pk}/")
    with pytest.raises(ValueError):  # noqa: PT011  (FileSystemStorage says there is no URL)
        stored.url  # noqa: B018


def test_a_guest_never_opens_a_file_of_an_internal_note(ticket, guest, desk):
    note = post_files(ticket, desk, upload("passport.png", PNG), internal="true")
    assert note.status_code == 201
    url = note.json()["attachments"][0]["url"]
    assert client_for(desk).get(url).status_code == 200
    assert client_for(guest).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("holiday.png", EXE, "holiday.png is not a JPEG, PNG, WebP or PDF"),
        ("invoice.pdf", PNG, "invoice.pdf is named .pdf but its content is image/png"),
        ("notes.txt", b"just some text, nothing else", "notes.txt is not a JPEG"),
        ("page.jpg", b"<html><script>alert(1)</script></html>", "page.jpg is not a JPEG"),
    ],
    ids=["disguised-executable", "lying-extension", "text", "html"],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved(ticket, guest, name, content, says):
    before = _stored_files()
    response = post_files(ticket, guest, upload("fine.png", PNG), upload(name, content))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and says in error["message"] and name in error["fields"]["files"][0]
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1  # the opening message only
    assert not TicketAttachment.objects.exists()
    assert _stored_files() == before


def test_a_six_megabyte_file_is_refused(ticket, guest):
    response = post_files(ticket, guest, big_file("scan.pdf", 6))
    assert response.status_code == 400
    assert "scan.pdf is 6.0 MB" in response.json()["error"]["message"]
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1
    assert not TicketAttachment.objects.exists()


def test_a_sixth_file_is_refused(ticket, guest):
    files = [upload(f"photo{n}.png", PNG) for n in range(1, 7)]
    response = post_files(ticket, guest, *files)
    assert response.status_code == 400
    assert "photo6.png: at most 5 files per message" in response.json()["error"]["message"]
    assert not TicketAttachment.objects.exists() and ticket.messages.count() == 1
    assert post_files(ticket, guest, *[upload(f"photo{n}.png", PNG) for n in range(1, 6)]).status_code == 201
    assert TicketAttachment.objects.count() == 5


def test_files_written_before_a_failure_are_removed(ticket, guest, monkeypatch):
    from apps.support import services

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.TicketAttachment.objects, "create", fail)
    before = _stored_files()
    with pytest.raises(RuntimeError):
        ticket_reply(ticket=ticket, author=guest, body="x", files=[upload("a.png", PNG)])
    assert _stored_files() == before
