"""Who may call what: every actor against every protected endpoint, one row per endpoint.

Each later domain appends its rows. Expected statuses are what a mobile app
would see; 404 where the object is outside the caller's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import mongomock
import pytest
from django.contrib.auth.models import Group
from django.test import TestCase

from apps.accounts.roles import ADMIN, AUDITOR, FRONT_DESK, GUEST, HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.bookings.services import booking_create, room_block_create
from apps.cms.services import page_save
from apps.core import mongo
from apps.notifications.models import Notification
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.factories import PageFactory, user_with_roles

ACTORS = ("anonymous", "guest", "front_desk", "manager", "auditor", "admin")


@dataclass
class World:
    users: dict[str, Any]
    target_user_id: int
    role_id: int
    reference: str = ""  # the guest's held booking at the staff's hotel
    # A hotel where front_desk and manager work: a booking part paid (100 of 220) with a refund requested.
    booking_reference: str = "HBS-XXXXXX"
    payment_id: int = 0
    refund_id: int = 0
    # The staff's hotel: a room free of stays with a block on it, for rooms/{id}/blocks/ and reports.
    hotel_slug: str = "none"
    room_id: int = 0
    block_id: int = 0
    day: str = "2030-01-01"
    notification_id: int = 0  # the guest's own (their hold's)
    page_slug: str = "about"  # a published CMS page
    # Reviews and tickets at the staff's hotel, by a guest who is none of the actors.
    stay_reference: str = "HBS-XXXXXX"  # a checked-out stay of that guest, not yet reviewed
    review_id: int = 0
    ticket_id: int = 0
    attachment_id: int = 0


@dataclass(frozen=True)
class Row:
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {actor: overrides.get(actor, status) for actor in ACTORS}


ROWS = [
    Row("get", lambda w: "/api/v1/auth/me/", everyone(200, anonymous=401)),
    Row("patch", lambda w: "/api/v1/auth/me/", everyone(200, anonymous=401), {"first_name": "Sam"}),
    Row("get", lambda w: "/api/v1/roles/", everyone(403, anonymous=401, auditor=200, admin=200)),
    Row(
        "post", lambda w: "/api/v1/roles/", everyone(403, anonymous=401, admin=201), {"name": "temp", "permissions": []}
    ),
    Row("get", lambda w: f"/api/v1/roles/{w.role_id}/", everyone(403, anonymous=401, auditor=200, admin=200)),
    Row(
        "patch",
        lambda w: f"/api/v1/roles/{w.role_id}/",
        everyone(403, anonymous=401, admin=200),
        {"permissions": ["auth.view_group"]},
    ),
    Row("delete", lambda w: f"/api/v1/roles/{w.role_id}/", everyone(403, anonymous=401, admin=204)),
    Row("get", lambda w: "/api/v1/permissions/", everyone(403, anonymous=401, auditor=200, admin=200)),
    Row(
        "get",
        lambda w: f"/api/v1/users/{w.target_user_id}/roles/",
        everyone(403, anonymous=401, auditor=200, admin=200),
    ),
    Row(
        "post",
        lambda w: f"/api/v1/users/{w.target_user_id}/roles/",
        everyone(403, anonymous=401, admin=200),
        {"role": AUDITOR},
    ),
    Row(
        "delete",
        lambda w: f"/api/v1/users/{w.target_user_id}/roles/?role={GUEST}",
        everyone(403, anonymous=401, admin=200),
    ),
    Row("get", lambda w: "/api/v1/audit-logs/", everyone(403, anonymous=401, auditor=200, admin=200)),
    Row("get", lambda w: "/api/v1/bookings/", everyone(200, anonymous=401)),
    Row("get", lambda w: f"/api/v1/bookings/{w.reference}/", everyone(200, anonymous=401)),
    Row("get", lambda w: f"/api/v1/bookings/{w.reference}/history/", everyone(200, anonymous=401)),
    # A held booking cannot be checked in: staff with the right reach the state check (409).
    Row(
        "post",
        lambda w: f"/api/v1/bookings/{w.reference}/check-in/",
        everyone(409, anonymous=401, guest=403, auditor=403),
        {},
    ),
    Row(
        "post",
        lambda w: f"/api/v1/bookings/{w.reference}/cancel/",
        everyone(200, anonymous=401, auditor=403),
        {"reason": "test"},
    ),
    # Payments and refunds: the guest here is not the booking's guest, so the booking is out of their sight.
    Row(
        "post",
        lambda w: f"/api/v1/bookings/{w.booking_reference}/payments/",
        everyone(201, anonymous=401, guest=404, auditor=403),
        {"method": "cash"},
    ),
    Row("get", lambda w: "/api/v1/payments/", everyone(200, anonymous=401)),
    Row("get", lambda w: f"/api/v1/payments/{w.payment_id}/", everyone(200, anonymous=401, guest=404)),
    Row("get", lambda w: "/api/v1/refunds/", everyone(200, anonymous=401)),
    Row(
        "post",
        lambda w: "/api/v1/refunds/",
        everyone(201, anonymous=401, guest=404, auditor=403),
        lambda w: {"booking": w.booking_reference, "amount": "10.00", "reason": "matrix"},
    ),
    Row("get", lambda w: f"/api/v1/refunds/{w.refund_id}/", everyone(200, anonymous=401, guest=404)),
    Row(
        "post",
        lambda w: f"/api/v1/refunds/{w.refund_id}/approve/",
        everyone(403, anonymous=401, guest=404, manager=200, admin=200),
    ),
    Row(
        "post",
        lambda w: f"/api/v1/refunds/{w.refund_id}/reject/",
        everyone(403, anonymous=401, guest=404, manager=200, admin=200),
    ),
    # Back office: rooms out of order, housekeeping, reports (the desk reads no report; auditors read all).
    Row("get", lambda w: f"/api/v1/rooms/{w.room_id}/blocks/", everyone(200, anonymous=401, guest=403, auditor=403)),
    Row(
        "post",
        lambda w: f"/api/v1/rooms/{w.room_id}/blocks/",
        everyone(201, anonymous=401, guest=403, auditor=403),
        lambda w: {"start": w.day, "end": _plus(w.day, 1), "reason": "matrix"},
    ),
    Row("delete", lambda w: f"/api/v1/blocks/{w.block_id}/", everyone(204, anonymous=401, guest=403, auditor=403)),
    Row(
        "patch",
        lambda w: f"/api/v1/rooms/{w.room_id}/",
        everyone(200, anonymous=401, guest=403, auditor=403),
        {"housekeeping": "dirty"},
    ),
    Row(
        "get",
        lambda w: f"/api/v1/reports/occupancy/?hotel={w.hotel_slug}&from={w.day}&to={_plus(w.day, 6)}",
        everyone(200, anonymous=401, guest=403, front_desk=403),
    ),
    # Notifications: everyone's own; another person's notification is not found.
    Row("get", lambda w: "/api/v1/notifications/", everyone(200, anonymous=401)),
    Row("post", lambda w: "/api/v1/notifications/read-all/", everyone(200, anonymous=401)),
    Row(
        "post",
        lambda w: f"/api/v1/notifications/{w.notification_id}/read/",
        everyone(404, anonymous=401, guest=200),
    ),
    Row("get", lambda w: "/api/v1/notifications/preferences/", everyone(200, anonymous=401)),
    Row(
        "patch",
        lambda w: "/api/v1/notifications/preferences/",
        everyone(200, anonymous=401),
        {"preferences": [{"kind": "booking_held", "email": False}]},
    ),
    # Content pages are public.
    Row("get", lambda w: "/api/v1/pages/", everyone(200)),
    Row("get", lambda w: f"/api/v1/pages/{w.page_slug}/", everyone(200)),
    # Reviews: the public list; a review is read by its author and the hotel's review staff (manager) only.
    Row("get", lambda w: f"/api/v1/hotels/{w.hotel_slug}/reviews/", everyone(200)),
    Row("get", lambda w: "/api/v1/reviews/", everyone(200, anonymous=401)),
    Row(
        "post",
        lambda w: "/api/v1/reviews/",
        everyone(403, anonymous=401, guest=404),
        lambda w: {"booking": w.stay_reference, "rating": 4, "text": "Not my stay"},
    ),
    Row("get", lambda w: f"/api/v1/reviews/{w.review_id}/", everyone(404, anonymous=401, manager=200, admin=200)),
    Row(
        "patch",
        lambda w: f"/api/v1/reviews/{w.review_id}/",
        everyone(404, anonymous=401, manager=403, admin=403),
        {"rating": 1},
    ),
    Row("delete", lambda w: f"/api/v1/reviews/{w.review_id}/", everyone(404, anonymous=401, manager=403, admin=403)),
    Row(
        "post",
        lambda w: f"/api/v1/reviews/{w.review_id}/response/",
        everyone(404, anonymous=401, manager=201, admin=201),
        {"text": "Thank you"},
    ),
    Row(
        "post",
        lambda w: f"/api/v1/reviews/{w.review_id}/hide/",
        everyone(404, anonymous=401, manager=200, admin=200),
        {"reason": "Matrix"},
    ),
    Row(
        "post",
        lambda w: f"/api/v1/reviews/{w.review_id}/publish/",
        everyone(404, anonymous=401, manager=409, admin=409),
    ),
    # Tickets: the guest's own and their hotel staff's; the matrix guest is not this ticket's guest.
    Row("get", lambda w: "/api/v1/tickets/", everyone(200, anonymous=401)),
    Row(
        "post",
        lambda w: "/api/v1/tickets/",
        everyone(201, anonymous=401),
        lambda w: {"hotel": w.hotel_slug, "subject": "Matrix", "category": "other", "message": "Hello"},
    ),
    Row(
        "get",
        lambda w: f"/api/v1/tickets/{w.ticket_id}/",
        everyone(404, anonymous=401, front_desk=200, manager=200, admin=200),
    ),
    Row(
        "patch",
        lambda w: f"/api/v1/tickets/{w.ticket_id}/",
        everyone(404, anonymous=401, front_desk=200, manager=200, admin=200),
        {"priority": "high"},
    ),
    Row(
        "get",
        lambda w: f"/api/v1/tickets/{w.ticket_id}/messages/",
        everyone(404, anonymous=401, front_desk=200, manager=200, admin=200),
    ),
    Row(
        "post",
        lambda w: f"/api/v1/tickets/{w.ticket_id}/messages/",
        everyone(404, anonymous=401, front_desk=201, manager=201, admin=201),
        {"body": "From the matrix"},
    ),
    Row(
        "get",
        lambda w: f"/api/v1/attachments/{w.attachment_id}/",
        everyone(404, anonymous=401, front_desk=200, manager=200, admin=200),
    ),
]


def _plus(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def module_mongo() -> Iterator[Any]:
    """One MongoDB for the module: what the world writes there (booking logs) is there for every test."""
    client = mongomock.MongoClient()
    mongo.set_client(client)
    yield client
    mongo.set_client(None)


@pytest.fixture
def mongo_client(module_mongo: Any) -> Any:
    """Replaces the fresh-per-test MongoDB of tests/conftest.py with the module's."""
    mongo.set_client(module_mongo)
    return module_mongo


@pytest.fixture(scope="module")
def world(module_transaction: None, module_mongo: Any) -> World:
    """Built once per worker, in the module's transaction (tests/conftest.py): what one call changes is gone
    for the next."""
    return _build_world()


def _build_world() -> World:
    capture = TestCase.captureOnCommitCallbacks
    place = make_hotel()
    scope = place.hotel
    desk, manager = user_with_roles(GUEST), user_with_roles(GUEST)
    with capture(execute=True):
        object_role_grant(user=desk, role=FRONT_DESK, scope=scope)
        object_role_grant(user=manager, role=HOTEL_MANAGER, scope=scope)
    users = {
        "anonymous": None,
        "guest": user_with_roles(GUEST),
        "front_desk": desk,
        "manager": manager,
        "auditor": user_with_roles(AUDITOR),
        "admin": user_with_roles(ADMIN),
    }
    target = user_with_roles(GUEST)
    custom_role = Group.objects.create(name="custom")
    booking = booking_create(
        guest=users["guest"],
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(0),
        check_out=place.day(2),
        adults=1,
    )
    money = _money_world(desk, manager, capture)
    free = next(room for room in place.rooms if room.pk != booking.room_id)
    block = room_block_create(room=free, start=place.day(10), end=place.day(12), reason="matrix")
    relations = _guest_relations_world(place)
    return World(
        users=users,
        target_user_id=target.pk,
        role_id=custom_role.pk,
        reference=booking.reference,
        hotel_slug=place.hotel.slug,
        room_id=free.pk,
        block_id=block.pk,
        day=place.day(20).isoformat(),
        notification_id=Notification.objects.get(user=users["guest"], kind="booking_held").pk,
        page_slug=page_save(page=PageFactory.build(status="published"), editor=users["admin"]).slug,
        **money,
        **relations,
    )


def _guest_relations_world(place: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.reviews.services import review_create
    from apps.support.services import ticket_open, ticket_reply
    from tests.factories import CheckedOutBookingFactory

    def checked_out() -> Any:
        return CheckedOutBookingFactory(hotel=place.hotel, room=place.rooms[1], room_type=place.room_type)

    reviewed = checked_out()
    review = review_create(author=reviewed.guest, booking=reviewed, rating=4, text="Matrix stay")
    ticket = ticket_open(guest=reviewed.guest, hotel=place.hotel, subject="Matrix", category="other", message="Hi")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    message = ticket_reply(
        ticket=ticket, author=reviewed.guest, body="A photo", files=[SimpleUploadedFile("room.png", png)]
    )
    return {
        "stay_reference": checked_out().reference,
        "review_id": review.pk,
        "ticket_id": ticket.pk,
        "attachment_id": message.attachments.get().pk,
    }


def _money_world(desk: Any, manager: Any, capture: Any) -> dict[str, Any]:
    from decimal import Decimal

    from apps.payments.services import payment_record_desk
    from apps.refunds.services import refund_request
    from tests.bookings.conftest import make_hotel
    from tests.payments.conftest import hold

    place = make_hotel(rooms=1)
    with capture(execute=True):
        object_role_grant(user=desk, role=FRONT_DESK, scope=place.hotel)
        object_role_grant(user=manager, role=HOTEL_MANAGER, scope=place.hotel)
    booking = hold(place)
    payment = payment_record_desk(booking=booking, method="cash", amount=Decimal("100.00"), recorded_by=desk)
    refund = refund_request(booking=booking, amount=Decimal("10.00"), reason="matrix", requested_by=booking.guest)
    return {"booking_reference": booking.reference, "payment_id": payment.pk, "refund_id": refund.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method.upper()} {row.path(World({}, 0, 0))}")
def test_permission_matrix(world: World, actor: str, row: Row):
    client = client_for(world.users[actor])
    body = row.body(world) if callable(row.body) else row.body
    response = getattr(client, row.method)(row.path(world), body, format="json")
    assert response.status_code == row.expected[actor], response.content
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in {
            "not_authenticated",
            "permission_denied",
            "not_found",
            "invalid_state",
        }
