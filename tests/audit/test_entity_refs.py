"""entity_ref: each audit line names its entity by the key people know it by, and audit-logs/?ref= finds them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings

from apps.audit import registry
from apps.audit.models import OutboxEntry
from apps.audit.services import AUDIT_LOGS, record
from apps.bookings.models import Booking
from apps.hotels.models import Hotel
from tests.audit.conftest import mongo_docs
from tests.bookings.conftest import make_hotel
from tests.clients import client_for
from tests.factories import TEST_PASSWORD, PageFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit-logs/"

# Each audited model's human key, decided once: a new audited model must be added here with its own decision.
DECIDED_REFS = {
    "accounts.user": "email",
    "auth.group": "name",
    "guardian.userobjectpermission": None,
    "guardian.groupobjectpermission": None,
    "hotels.hotel": "slug",
    "hotels.amenity": "code",
    "hotels.roomtype": None,
    "hotels.room": None,
    "hotels.rateoverride": None,
    "offers.offer": "code",
    "bookings.booking": "reference",
    "bookings.roomblock": None,
    "payments.payment": "provider_reference",
    "payments.webhookevent": "event_id",
    "refunds.refund": "provider_reference",
    "cms.page": "slug",
    "notifications.notification": None,
    "notifications.notificationpreference": None,
    "reviews.review": None,
    "reviews.reviewinvite": None,
    "support.ticket": None,
    "support.ticketmessage": None,
    "support.ticketattachment": None,
    "support.supportsettings": None,
    "calendars.channel": "name",
    "calendars.channelstay": "uid",
}


@pytest.fixture
def auditor():
    user = UserFactory()
    role = Group.objects.create(name="Ref auditors")
    role.permissions.add(Permission.objects.get(codename="view_auditlog"))
    user.groups.add(role)
    return user


def test_every_audited_model_has_its_human_key_decided():
    decided = {model._meta.label_lower: registry.ref_field(model) for model in registry.audited_models()}
    assert decided == DECIDED_REFS


def test_a_ref_must_be_a_field_of_the_model_and_not_a_masked_one(audited_widget):
    with pytest.raises(ValueError, match="no field"):
        registry.register(audited_widget, ref="nickname")
    with pytest.raises(ValueError, match="masked"):
        registry.register(audited_widget, mask=("code",), ref="code")


def booked(place):
    response = client_for(UserFactory()).post(
        "/api/v1/bookings/",
        {
            "hotel": place.hotel.slug,
            "room_type": place.room_type.pk,
            "check_in": place.day(0),
            "check_out": place.day(2),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Booking.objects.get(reference=response.json()["reference"])


def test_a_bookings_lines_carry_its_reference(mongo_client, relay):
    booking = booked(make_hotel())
    booking.special_requests = "Quiet room"
    booking.save(update_fields=["special_requests", "updated_at"])
    relay()
    found = mongo_docs(mongo_client, AUDIT_LOGS, entity="bookings.booking", entity_id=str(booking.pk))
    assert [line["action"] for line in found] == ["create", "update"]
    assert {line["entity_ref"] for line in found} == {booking.reference}


def test_an_auditor_with_a_reference_finds_the_bookings_lines_and_only_those(api_client, relay, auditor):
    place = make_hotel()
    mine, other = booked(place), booked(place)
    relay()
    api_client.force_authenticate(auditor)
    response = api_client.get(URL, {"ref": mine.reference})
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert results and {(r["entity"], r["entity_id"], r["entity_ref"]) for r in results} == {
        ("bookings.booking", str(mine.pk), mine.reference)
    }
    assert other.reference not in str(results)
    narrowed = api_client.get(URL, {"ref": mine.reference, "entity": "hotels.hotel"}).json()["results"]
    assert narrowed == []


def test_the_ref_filter_reads_the_outbox_when_mongodb_is_not_configured(api_client, auditor):
    booking = booked(make_hotel())
    api_client.force_authenticate(auditor)
    with override_settings(MONGODB_URL=""):
        response = api_client.get(URL, {"ref": booking.reference})
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert results and all(not r["shipped"] and r["entity_ref"] == booking.reference for r in results)


def test_slugs_name_hotels_and_pages_and_stay_on_their_delete_line(mongo_client, relay):
    hotel = make_hotel(rooms=0).hotel
    page = PageFactory(slug="house-rules")
    page_id = page.pk
    page.delete()
    relay()
    [hotel_line] = mongo_docs(mongo_client, AUDIT_LOGS, entity="hotels.hotel", entity_id=str(hotel.pk))
    assert hotel_line["entity_ref"] == hotel.slug
    page_lines = mongo_docs(mongo_client, AUDIT_LOGS, entity="cms.page", entity_id=str(page_id))
    assert page_lines and {line["entity_ref"] for line in page_lines} == {"house-rules"}


def test_a_ref_read_from_a_deferred_field_costs_no_refresh(mongo_client, relay):
    hotel = make_hotel(rooms=0).hotel
    OutboxEntry.objects.all().delete()
    light = Hotel.objects.only("id", "name").get(pk=hotel.pk)
    light.name = "Renamed"
    light.save(update_fields=["name"])
    relay()
    [line] = mongo_docs(mongo_client, AUDIT_LOGS, entity="hotels.hotel")
    assert line["entity_ref"] == hotel.slug and line["changes"] == {"name": [hotel.name, "Renamed"]}


def test_role_changes_from_either_side_name_the_user_by_email(mongo_client, relay):
    user = UserFactory(email="night.porter@example.com")
    role = Group.objects.create(name="Night porters")
    OutboxEntry.objects.all().delete()
    role.user_set.add(user)  # the reverse side: one line per user, found by the user's email
    user.groups.remove(role)  # the forward side
    relay()
    added, removed = mongo_docs(mongo_client, AUDIT_LOGS, entity="accounts.user")
    assert (added["action"], added["entity_ref"]) == ("m2m_add", "night.porter@example.com")
    assert (removed["action"], removed["entity_ref"]) == ("m2m_remove", "night.porter@example.com")


def test_a_model_without_a_human_key_and_old_lines_read_an_empty_ref(api_client, relay, auditor):
    place = make_hotel(rooms=1)
    old = record(
        collection=AUDIT_LOGS,
        document={
            "action": "update",
            "entity": "hotels.room",
            "entity_id": str(place.rooms[0].pk),
            "changes": {},
            "actor": {"type": "system", "id": None, "email": ""},
            "request_id": "",
            "ip": "",
            "user_agent": "",
        },
    )  # written before lines had an entity_ref
    relay()
    api_client.force_authenticate(auditor)
    results = api_client.get(URL, {"entity": "hotels.room"}).json()["results"]
    assert results and all(r["entity_ref"] == "" for r in results)
    assert old.pk in [r["id"] for r in results]


def test_login_lines_name_the_account(mongo_client, relay):
    user = UserFactory(email="Guest.Case@example.com")
    OutboxEntry.objects.all().delete()
    Client().post("/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}, "application/json")
    Client().post("/api/v1/auth/token/", {"email": "guest.case@example.com", "password": "wrong"}, "application/json")
    relay()
    refs = {line["action"]: line["entity_ref"] for line in mongo_docs(mongo_client, AUDIT_LOGS, entity="accounts.user")}
    assert refs.get("login_failed") == "Guest.Case@example.com"


def test_the_ref_parameter_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert "ref" in {p["name"] for p in operation["parameters"]}
    line = schema["components"]["schemas"]["AuditLogOut"]
    assert "entity_ref" in line["properties"]
