"""The admin: deleted rows in sight, restore, hard delete for superusers with a backup, and the history page."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from apps.audit.services import BACKUPS
from apps.core import mongo
from tests.audit.conftest import mongo_docs
from tests.factories import UserFactory
from tests.testapp.models import Widget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.audit.urls")]
WIDGETS = "/test-admin/testapp/widget/"


def admin_client(*, superuser: bool) -> Client:
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True, is_superuser=superuser)
    if not superuser:
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="testapp"))
    client = Client()
    client.force_login(user)
    return client


def test_changelist_shows_deleted_rows_and_filters_them():
    Widget.objects.create(code="LIVE")
    Widget.objects.create(code="DEAD").delete()
    client = admin_client(superuser=True)
    everything = client.get(WIDGETS).content.decode()
    assert "LIVE" in everything and "DEAD" in everything
    deleted_only = client.get(WIDGETS, {"deleted": "yes"}).content.decode()
    assert "DEAD" in deleted_only and "LIVE" not in deleted_only


def test_restore_action_brings_rows_back():
    widget = Widget.objects.create(code="W1")
    widget.delete()
    response = admin_client(superuser=False).post(
        WIDGETS, {"action": "restore_selected", "_selected_action": [widget.pk]}
    )
    assert response.status_code == 302
    assert Widget.objects.filter(pk=widget.pk).exists()


def test_admin_delete_is_soft():
    widget = Widget.objects.create(code="W1")
    response = admin_client(superuser=False).post(f"{WIDGETS}{widget.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Widget.all_objects.get(pk=widget.pk).is_deleted


def test_hard_delete_is_for_superusers_and_leaves_a_backup(mongo_client, relay):
    widget = Widget.objects.create(code="PURGE")
    staff = admin_client(superuser=False)
    assert "hard_delete_selected" not in staff.get(WIDGETS).content.decode()
    staff.post(WIDGETS, {"action": "hard_delete_selected", "_selected_action": [widget.pk]})
    assert Widget.all_objects.filter(pk=widget.pk).exists()

    response = admin_client(superuser=True).post(
        WIDGETS, {"action": "hard_delete_selected", "_selected_action": [widget.pk]}
    )
    assert response.status_code == 302
    assert not Widget.all_objects.filter(pk=widget.pk).exists()
    relay()
    [backup] = mongo_docs(mongo_client, BACKUPS)
    assert (backup["reason"], backup["row"]["code"]) == ("hard_delete", "PURGE")


def test_history_page_reads_mongodb(relay, audited_widget):
    widget = audited_widget.objects.create(code="H1")
    widget.code = "H2"
    widget.save()
    relay()
    page = admin_client(superuser=True).get(f"{WIDGETS}{widget.pk}/history/").content.decode()
    assert "update" in page and "H1" in page and "H2" in page
    assert "in MongoDB" in page and "not yet shipped" not in page


def test_history_page_without_mongodb_shows_waiting_lines(audited_widget):
    widget = audited_widget.objects.create(code="H1")
    mongo.set_client(None)
    with override_settings(MONGODB_URL=""):
        page = admin_client(superuser=True).get(f"{WIDGETS}{widget.pk}/history/").content.decode()
    assert "not yet shipped" in page and "create" in page and "H1" in page


def test_user_admin_history_is_the_audit_and_needs_a_right():
    target = UserFactory(first_name="Ana")
    target.first_name = "Anna"
    target.save()
    url = f"/admin/accounts/user/{target.pk}/history/"
    page = admin_client(superuser=True).get(url).content.decode()
    assert "Ana" in page and "Anna" in page and "audit-history" in page
    assert admin_client(superuser=False).get(url).status_code == 403


def test_entity_history_by_label_survives_the_row(audited_widget):
    widget = audited_widget.objects.create(code="GONE")
    pk = widget.pk
    widget.hard_delete()
    page = admin_client(superuser=True).get(f"/admin/audit/outboxentry/history/testapp.widget/{pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "create" in text and "delete" in text


def test_a_change_made_in_the_admin_names_the_signed_in_admin(mongo_client, relay):
    from django.contrib.auth.models import Group

    from apps.audit.services import AUDIT_LOGS

    group = Group.objects.create(name="Housekeeping")
    admin = UserFactory(is_staff=True, is_superuser=True, email="root@example.com")
    client = Client(headers={"X-Request-ID": "admin-edit-7"})
    client.force_login(admin)
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Housekeeping team", "permissions": []})
    assert response.status_code == 302
    relay()
    [line] = mongo_docs(mongo_client, AUDIT_LOGS, entity="auth.group", action="update")
    assert line["changes"] == {"name": ["Housekeeping", "Housekeeping team"]}
    assert line["actor"] == {"type": "user", "id": admin.pk, "email": "root@example.com"}
    assert line["request_id"] == "admin-edit-7"
