"""What gets audited: field diffs with secrets masked, soft delete with backups, roles and grants, sign-ins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.test import APIClient

from apps.audit.models import OutboxEntry
from apps.audit.services import AUDIT_LOGS, BACKUPS
from tests.audit.conftest import mongo_docs
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def lines(client, **query):
    return mongo_docs(client, AUDIT_LOGS, **query)


def test_password_change_is_recorded_but_masked(mongo_client, relay):
    user = UserFactory()
    OutboxEntry.objects.all().delete()
    user.set_password("a-new-long-passphrase")
    user.save()
    relay()
    [line] = lines(mongo_client, entity_id=str(user.pk))
    assert line["changes"]["password"] == ["********", "********"]
    [before, after] = line["changes"]["token_version"]  # the new password revoked every token
    assert after == before + 1
    assert "pbkdf2" not in str(line) and "md5" not in str(line)


def test_create_and_delete_lines_carry_every_field(mongo_client, relay):
    group = Group.objects.create(name="Night auditors")
    group_id = group.pk
    group.delete()
    relay()
    create, delete = lines(mongo_client, entity="auth.group")
    assert (create["action"], create["entity_id"]) == ("create", str(group_id))
    assert create["changes"]["name"] == [None, "Night auditors"]
    assert (delete["action"], delete["changes"]["name"]) == ("delete", ["Night auditors", None])


def test_saving_without_a_change_writes_no_line(mongo_client):
    group = Group.objects.create(name="Desk")
    before = OutboxEntry.objects.count()
    Group.objects.get(pk=group.pk).save()
    assert OutboxEntry.objects.count() == before


def test_unaudited_model_writes_no_line():
    from tests.testapp.models import Widget

    before = OutboxEntry.objects.filter(collection=AUDIT_LOGS).count()
    Widget.objects.create(code="W1")
    assert OutboxEntry.objects.filter(collection=AUDIT_LOGS).count() == before


def test_soft_delete_and_restore_lines_and_a_restorable_backup(mongo_client, relay, audited_widget):
    widget = audited_widget.objects.create(code="W1")
    widget.delete()
    assert not audited_widget.objects.filter(pk=widget.pk).exists()
    relay()

    [backup] = mongo_docs(mongo_client, BACKUPS)
    assert backup["entity"] == "testapp.widget" and backup["entity_id"] == str(widget.pk)
    assert backup["reason"] == "soft_delete"
    assert backup["row"]["code"] == "W1" and backup["row"]["is_deleted"] is True

    kept = audited_widget.all_objects.get(pk=widget.pk)
    kept.restore()
    assert audited_widget.objects.get(pk=widget.pk).code == "W1"
    relay()
    actions = [line["action"] for line in lines(mongo_client, entity="testapp.widget")]
    assert actions == ["create", "soft_delete", "restore"]
    soft_delete = lines(mongo_client, action="soft_delete")[0]
    assert soft_delete["changes"]["is_deleted"] == [False, True]


def test_hard_delete_leaves_a_backup_even_for_an_unaudited_soft_delete_model(mongo_client, relay):
    from tests.testapp.models import Widget

    widget = Widget.objects.create(code="GONE")
    widget.hard_delete()
    Widget.objects.create(code="BULK")
    Widget.all_objects.all().hard_delete()
    relay()
    backups = mongo_docs(mongo_client, BACKUPS)
    assert [(b["reason"], b["row"]["code"]) for b in backups] == [("hard_delete", "GONE"), ("hard_delete", "BULK")]
    assert not Widget.all_objects.exists()


def test_role_changes_from_either_side_are_lines_on_the_user(mongo_client, relay):
    user = UserFactory()
    managers, desk = Group.objects.create(name="Managers"), Group.objects.create(name="Front desk")
    OutboxEntry.objects.all().delete()

    user.groups.add(managers, desk)
    user.groups.remove(desk)
    desk.user_set.add(user)  # from the group's side
    user.groups.clear()
    relay()

    history = lines(mongo_client, entity="accounts.user", entity_id=str(user.pk))
    both = [{"id": managers.pk, "name": "Managers"}, {"id": desk.pk, "name": "Front desk"}]
    assert [(line["action"], line["changes"]) for line in history] == [
        ("m2m_add", {"groups": {"added": both}}),
        ("m2m_remove", {"groups": {"removed": [both[1]]}}),
        ("m2m_add", {"groups": {"added": [both[1]]}}),
        ("m2m_clear", {"groups": {"removed": both}}),
    ]


def test_permission_grants_to_roles_and_users_are_lines(mongo_client, relay):
    user = UserFactory()
    group = Group.objects.create(name="Auditors")
    perm = Permission.objects.get(codename="view_auditlog")
    OutboxEntry.objects.all().delete()

    group.permissions.add(perm)
    user.user_permissions.add(perm)
    perm.group_set.clear()  # reverse clear: the group loses it
    relay()

    on_group = lines(mongo_client, entity="auth.group", entity_id=str(group.pk))
    assert [(line["action"], line["changes"]) for line in on_group] == [
        ("m2m_add", {"permissions": {"added": [{"id": perm.pk, "name": "audit.view_auditlog"}]}}),
        ("m2m_clear", {"permissions": {"removed": [{"id": perm.pk, "name": "audit.view_auditlog"}]}}),
    ]
    [on_user] = lines(mongo_client, entity="accounts.user", entity_id=str(user.pk))
    assert on_user["changes"] == {"user_permissions": {"added": [{"id": perm.pk, "name": "audit.view_auditlog"}]}}


def test_object_permission_grants_and_revocations_are_lines(mongo_client, relay):
    staff, group = UserFactory(), Group.objects.create(name="Hotel 1 desk")
    OutboxEntry.objects.all().delete()

    assign_perm("auth.change_group", staff, group)
    remove_perm("auth.change_group", staff, group)
    relay()

    grant, revoke = lines(mongo_client, entity="guardian.userobjectpermission")
    assert grant["action"] == "create" and revoke["action"] == "delete"
    assert grant["changes"]["user"] == [None, staff.pk]
    assert str(grant["changes"]["object_pk"][1]) == str(group.pk)
    assert revoke["changes"]["permission"][0] == Permission.objects.get(codename="change_group").pk


def test_login_logout_and_failed_login_are_lines_without_the_password(mongo_client, relay):
    user = UserFactory(email="guest@example.com")
    client = Client(headers={"X-Request-ID": "login-1"})
    failed = client.post("/accounts/login/", {"username": "GUEST@example.com", "password": "wrong-guess-123"})
    assert failed.status_code == 400
    assert client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    relay()

    sign_ins = [line for line in lines(mongo_client) if line["action"] in {"login", "logout", "login_failed"}]
    assert [line["action"] for line in sign_ins] == ["login_failed", "login", "logout"]
    failed_line, login_line, _ = sign_ins
    assert failed_line["details"] == {"identifier": "GUEST@example.com"}
    assert failed_line["entity_id"] == str(user.pk)
    assert failed_line["request_id"] == "login-1"
    assert login_line["actor"] == {"type": "user", "id": user.pk, "email": "guest@example.com"}
    assert "wrong-guess-123" not in str(sign_ins) and "*****" not in str(failed_line)
    # last_login changes on each sign-in; the login line says it, no extra update line does.
    assert not [line for line in lines(mongo_client, action="update") if "last_login" in line["changes"]]


def test_api_login_is_an_audit_line_too(mongo_client, relay):
    UserFactory(email="mobile@example.com")
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": "mobile@example.com", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    relay()
    logins = mongo_docs(mongo_client, AUDIT_LOGS, action="login")
    assert [line["actor"]["email"] for line in logins] == ["mobile@example.com"]
