"""The notifications API as pinned, and the pages: the bell, the list (unread first, mark read), preferences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notifications.models import Notification, NotificationPreference
from tests.factories import TEST_PASSWORD, NotificationFactory, UserFactory
from tests.notifications.conftest import client_for

pytestmark = pytest.mark.django_db
ITEM_KEYS = {"id", "kind", "title", "body", "link", "read_at", "created_at"}


@pytest.fixture
def inbox():
    user = UserFactory()
    now = timezone.now()
    old_read = NotificationFactory(user=user, title="old, read", read_at=now, created_at=now - timedelta(days=2))
    older_unread = NotificationFactory(user=user, title="older unread", created_at=now - timedelta(days=3))
    newest_unread = NotificationFactory(user=user, title="newest unread", created_at=now - timedelta(hours=1))
    NotificationFactory(title="someone else's")
    return user, [newest_unread, older_unread, old_read]


def test_the_list_is_the_callers_own_unread_first(inbox):
    user, expected = inbox
    response = client_for(user).get("/api/v1/notifications/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [row.pk for row in expected]
    assert set(results[0]) == ITEM_KEYS and results[0]["read_at"] is None

    unread = client_for(user).get("/api/v1/notifications/?unread=true").json()["results"]
    assert [item["title"] for item in unread] == ["newest unread", "older unread"]


def test_read_one_and_read_all(inbox):
    user, rows = inbox
    client = client_for(user)
    answer = client.post(f"/api/v1/notifications/{rows[1].pk}/read/")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(inbox):
    user, _ = inbox
    theirs = Notification.objects.exclude(user=user).get()
    response = client_for(user).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_read_and_set_and_the_locked_ones_refuse(inbox):
    user, _ = inbox
    client = client_for(user)
    listed = {row["kind"]: row for row in client.get("/api/v1/notifications/preferences/").json()["preferences"]}
    assert listed["booking_confirmed"] == {
        "kind": "booking_confirmed",
        "label": "Your booking is confirmed",
        "audience": "guest",
        "email": True,
        "locked": True,
    }
    changed = client.patch(
        "/api/v1/notifications/preferences/", {"preferences": [{"kind": "booking_held", "email": False}]}
    )
    assert changed.status_code == 200
    assert {row["kind"]: row["email"] for row in changed.json()["preferences"]}["booking_held"] is False
    refused = client.patch(
        "/api/v1/notifications/preferences/", {"preferences": [{"kind": "payment_received", "email": False}]}
    )
    assert refused.status_code == 400 and "payment_received" in refused.json()["error"]["fields"]
    assert list(NotificationPreference.objects.filter(user=user).values_list("kind", "email")) == [
        ("booking_held", False)
    ]


def test_anonymous_callers_are_401(api_client):
    assert api_client.get("/api/v1/notifications/").status_code == 401


# --- Pages ---------------------------------------------------------------------------------------------


def logged_in(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)
    return client


def test_the_bell_shows_the_unread_count_on_every_page(client, inbox):
    user, _ = inbox
    page = logged_in(client, user).get("/").content.decode()
    assert 'data-socket="/ws/notifications/"' in page
    assert ">2</span>" in page


def test_the_page_lists_unread_first_and_marks_one_read_in_place(client, inbox):
    user, rows = inbox
    logged_in(client, user)
    page = client.get("/notifications/").content.decode()
    assert page.index("newest unread") < page.index("older unread") < page.index("old, read")
    assert "someone else" not in page

    partial = client.post(f"/notifications/{rows[0].pk}/read/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert f'id="notification-{rows[0].pk}"' in html and "is-read" in html
    assert 'hx-swap-oob="outerHTML:[data-unread-count]"' in html and ">1</span>" in html
    assert "<html" not in html


def test_mark_all_read_from_the_page(client, inbox):
    user, _ = inbox
    response = logged_in(client, user).post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_the_preferences_page_saves_the_choices_and_keeps_receipts_on(client, inbox):
    user, _ = inbox
    logged_in(client, user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Receipts for your payments" in page and "always emailed" in page
    # Every box unticked: the ones that may be turned off are, the locked ones stay on.
    response = client.post("/notifications/preferences/", {})
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    assert chosen["booking_cancelled"] is False
    assert "booking_confirmed" not in chosen and "payment_received" not in chosen


def test_pages_need_a_login(client):
    assert client.get("/notifications/").status_code == 302
