"""The admin's user list: roles shown, deactivation through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.roles import ADMIN, AUDITOR
from apps.accounts.tokens import tokens_for
from tests.factories import UserFactory, user_with_roles

pytestmark = pytest.mark.django_db


def test_admin_deactivates_a_user_and_their_token_stops(django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    victim = user_with_roles(AUDITOR)
    access = tokens_for(victim)["access"]
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert AUDITOR.encode() in listing.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/", {"action": "deactivate", "_selected_action": [victim.pk, admin.pk]}, follow=True
        )
    assert b"Deactivated" in response.content
    victim.refresh_from_db()
    admin.refresh_from_db()
    assert not victim.is_active
    assert admin.is_active  # an admin cannot lock themselves out by mistake
    api = Client(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_admin_role_member_can_open_the_admin():
    staff = user_with_roles(ADMIN, is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/auth/group/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_admin_login_has_the_sites_limits_per_account_and_per_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-email": "3/3600", "login-ip": "6/3600"}
    admin = UserFactory(email="root@example.com", password="the-right-one-2026", is_staff=True, is_superuser=True)
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": admin.email, "password": f"guess-{n}"}).status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/admin/login/", {"username": admin.email, "password": "the-right-one-2026"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session

    others = [
        client.post("/admin/login/", {"username": f"other{n}@example.com", "password": "x"}).status_code
        for n in range(2)
    ]
    assert others == [200, 429]  # the address has used its six attempts
    assert Client().get("/admin/login/").status_code == 200
