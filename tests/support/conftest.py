"""A hotel with staff who answer tickets, a guest with a booking there, and files of every kind."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER
from apps.support.models import Ticket
from apps.support.services import ticket_open
from tests.bookings.conftest import SmallHotel, make_hotel
from tests.factories import BookingFactory, UserFactory
from tests.reviews.conftest import client_for, staff  # noqa: F401  (re-exported for the support tests)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    + b"\0" * 64
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\0" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"\0" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def big_file(name: str, megabytes: float, head: bytes = PDF) -> io.BytesIO:
    data = io.BytesIO(head + b"\0" * int(megabytes * 1024 * 1024))
    data.name = name
    return data


@pytest.fixture
def place(db) -> SmallHotel:
    return make_hotel(rooms=2)


@pytest.fixture
def guest(db) -> Any:
    return UserFactory(first_name="Gina", last_name="Guest")


@pytest.fixture
def booking(place, guest):
    return BookingFactory(guest=guest, hotel=place.hotel, room=place.rooms[0], room_type=place.room_type)


@pytest.fixture
def desk(place, django_capture_on_commit_callbacks):
    return staff(place, FRONT_DESK, django_capture_on_commit_callbacks)


@pytest.fixture
def manager(place, django_capture_on_commit_callbacks):
    return staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)


@pytest.fixture
def ticket(place, guest, booking) -> Ticket:
    return ticket_open(
        guest=guest,
        hotel=place.hotel,
        booking=booking,
        subject="Late arrival",
        category="booking",
        message="We land at midnight. Is the desk open?",
    )
