"""roles/, permissions/ and users/{id}/roles/ for an administrator's app."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import ADMIN, ALL_ROLES, AUDITOR
from tests.factories import UserFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(bearer):
    return bearer(user_with_roles(ADMIN))


def test_roles_lists_builtin_roles_with_kind_and_permissions(admin_client):
    response = admin_client.get("/api/v1/roles/")
    assert response.status_code == 200
    roles = {role["name"]: role for role in response.json()}
    assert set(ALL_ROLES) <= set(roles)
    assert roles["front_desk"]["kind"] == "hotel"
    assert roles["auditor"]["kind"] == "global"
    assert roles["auditor"]["builtin"] is True
    assert "auth.view_group" in roles["auditor"]["permissions"]


def test_create_rename_and_delete_a_custom_role(admin_client):
    created = admin_client.post(
        "/api/v1/roles/", {"name": "night_auditor", "permissions": ["auth.view_group"]}, format="json"
    )
    assert created.status_code == 201
    role_id = created.json()["id"]
    assert created.json()["builtin"] is False
    patched = admin_client.patch(
        f"/api/v1/roles/{role_id}/", {"name": "night_audit", "permissions": ["auth.view_permission"]}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["permissions"] == ["auth.view_permission"]
    assert admin_client.delete(f"/api/v1/roles/{role_id}/").status_code == 204
    assert not Group.objects.filter(pk=role_id).exists()


def test_unknown_permission_and_duplicate_role_are_refused(admin_client):
    unknown = admin_client.post("/api/v1/roles/", {"name": "x", "permissions": ["nope.nothing"]}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"]["permissions"] == ["Unknown permission: nope.nothing"]
    duplicate = admin_client.post("/api/v1/roles/", {"name": "Auditor", "permissions": []}, format="json")
    assert duplicate.status_code == 409


def test_builtin_roles_cannot_be_deleted_or_renamed(admin_client):
    auditor = Group.objects.get(name=AUDITOR)
    assert admin_client.delete(f"/api/v1/roles/{auditor.pk}/").status_code == 403
    renamed = admin_client.patch(f"/api/v1/roles/{auditor.pk}/", {"name": "inspector"}, format="json")
    assert renamed.status_code == 400
    assert Group.objects.filter(name=AUDITOR).exists()


def test_permissions_list_names_each_permission_once(admin_client):
    response = admin_client.get("/api/v1/permissions/")
    assert response.status_code == 200
    codenames = [row["codename"] for row in response.json()]
    assert "accounts.assign_role_user" in codenames
    assert len(codenames) == len(set(codenames))


def test_assign_and_remove_a_global_role(admin_client, bearer, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = bearer(user)
    assert client.get("/api/v1/roles/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/api/v1/users/{user.pk}/roles/", {"role": AUDITOR}, format="json")
    assert response.json() == {"user": user.pk, "roles": [AUDITOR]}
    assert client.get("/api/v1/roles/").status_code == 200  # the very next request
    with django_capture_on_commit_callbacks(execute=True):
        removed = admin_client.delete(f"/api/v1/users/{user.pk}/roles/?role={AUDITOR}")
    assert removed.json()["roles"] == []
    assert client.get("/api/v1/roles/").status_code == 403


def test_hotel_roles_are_not_assigned_globally(admin_client):
    user = UserFactory()
    response = admin_client.post(f"/api/v1/users/{user.pk}/roles/", {"role": "front_desk"}, format="json")
    assert response.status_code == 400
    assert "held at a hotel" in response.json()["error"]["message"]


def test_unknown_user_or_role_is_404(admin_client):
    assert admin_client.post("/api/v1/users/999999/roles/", {"role": AUDITOR}, format="json").status_code == 404
    user = UserFactory()
    assert admin_client.post(f"/api/v1/users/{user.pk}/roles/", {"role": "wizard"}, format="json").status_code == 404
