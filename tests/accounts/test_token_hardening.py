"""Tokens: every password change revokes them, a refresh token is spent once, and a revocation made while
Redis was away is honoured when it returns."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm
from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import InvalidRefresh, object_role_grant, object_role_revoke, user_set_active
from apps.accounts.tokens import tokens_for
from tests.away import closed_port
from tests.concurrency import kinds, race
from tests.factories import UserFactory
from tests.testapp.models import Widget

ME = "/api/v1/auth/me/"


def me(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME).status_code


@pytest.fixture
def redis_away(settings):
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    return override_settings(CACHES=caches)


@pytest.mark.django_db
def test_a_password_set_in_the_admin_revokes_the_users_tokens(django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    guest = UserFactory()
    access = tokens_for(guest)["access"]
    assert me(access) == 200
    client = Client()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/accounts/user/{guest.pk}/password/",
            {
                "password1": "a-new-long-password-2026",
                "password2": "a-new-long-password-2026",
                "usable_password": "true",
            },
        )
    assert response.status_code == 302, response.content
    assert me(access) == 401


@pytest.mark.django_db
def test_a_password_set_anywhere_revokes_the_tokens(django_capture_on_commit_callbacks):
    guest = UserFactory()
    access = tokens_for(guest)["access"]
    assert me(access) == 200
    with django_capture_on_commit_callbacks(execute=True):
        guest.set_password("what-changepassword-does-2026")
        guest.save()
    assert me(access) == 401
    assert me(tokens_for(User.objects.get(pk=guest.pk))["access"]) == 200


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_with_one_refresh_token_exactly_one_succeeds():
    refresh = tokens_for(UserFactory())["refresh"]

    def refresh_once() -> int:
        return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh}).status_code

    assert sorted(race([refresh_once, refresh_once])) == [200, 401]
    assert refresh_once() == 401


@pytest.mark.django_db(transaction=True)
def test_the_rotation_service_lets_one_racer_through():
    from apps.accounts.services import refresh_token_rotate

    refresh = tokens_for(UserFactory())["refresh"]
    outcomes = race([lambda: refresh_token_rotate(raw=refresh)] * 3, expected=(InvalidRefresh,))
    assert sorted(kinds(outcomes)) == ["not_authenticated", "not_authenticated", "ok"]


@pytest.mark.django_db
def test_a_deactivation_made_while_redis_is_away_is_honoured_when_it_returns(
    redis_away, django_capture_on_commit_callbacks
):
    guest = UserFactory()
    access = tokens_for(guest)["access"]
    assert me(access) == 200  # the user row is now cached in Redis
    with redis_away, django_capture_on_commit_callbacks(execute=True):
        user_set_active(user=guest, active=False)
    assert me(access) == 401  # Redis is back, with the row cached before


@pytest.mark.django_db
def test_a_grant_revoked_while_redis_is_away_is_refused_when_it_returns(redis_away, django_capture_on_commit_callbacks):
    Group.objects.get(name=FRONT_DESK).permissions.add(Permission.objects.get(codename="change_widget"))
    here, clerk = Widget.objects.create(code="H1"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=clerk, role=FRONT_DESK, scope=here)
    assert user_has_perm(User.objects.get(pk=clerk.pk), "testapp.change_widget", here)  # cached in Redis
    with redis_away, django_capture_on_commit_callbacks(execute=True):
        object_role_revoke(user=clerk, role=FRONT_DESK, scope=here)
    assert not user_has_perm(User.objects.get(pk=clerk.pk), "testapp.change_widget", here)
