"""auth/* as a mobile app uses it: sign up, verify, log in, refresh, log out, revoke."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from apps.accounts.models import User
from apps.accounts.services import user_set_active
from apps.accounts.tokens import tokens_for
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "sea-view-balcony-42"


def login(client: APIClient, email: str, password: str = TEST_PASSWORD):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def authed(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_register_verify_login_and_me(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/",
            {"email": "New.Guest@Example.com", "password": STRONG, "first_name": "Nora", "country": "fr"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["email"] == "new.guest@example.com"
    assert body["user"]["email_verified"] is False
    assert body["user"]["roles"] == ["guest"]
    assert body["access"] and body["refresh"]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.guest@example.com"]
    token = re.search(r"/accounts/verify/([^/\s]+)/", message.body).group(1)
    verified = api_client.post("/api/v1/auth/email/verify/", {"token": token}, format="json")
    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True

    tokens = login(api_client, "NEW.guest@example.com", STRONG)
    assert tokens.status_code == 200
    me = authed(tokens.json()["access"]).get("/api/v1/auth/me/")
    assert me.status_code == 200
    assert me.json()["first_name"] == "Nora"
    assert me.json()["hotels"] == []


def test_register_refuses_weak_password_and_taken_email(api_client):
    weak = api_client.post("/api/v1/auth/register/", {"email": "a@example.com", "password": "12345678"}, format="json")
    assert weak.status_code == 400
    assert "password" in weak.json()["error"]["fields"]
    UserFactory(email="taken@example.com")
    taken = api_client.post("/api/v1/auth/register/", {"email": "TAKEN@example.com", "password": STRONG}, format="json")
    assert taken.status_code == 400
    assert taken.json()["error"]["fields"]["email"] == ["This email is already registered."]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_forged_verification_link_is_refused(api_client):
    response = api_client.post("/api/v1/auth/email/verify/", {"token": "forged:token"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_wrong_password_is_401_without_saying_which_part(api_client):
    user = UserFactory()
    for email, password in [(user.email, "wrong-password"), ("nobody@example.com", TEST_PASSWORD)]:
        response = login(api_client, email, password)
        assert response.status_code == 401
        assert response.json()["error"] == {
            "code": "not_authenticated",
            "message": "Email or password is incorrect.",
            "fields": {},
        }


def test_refresh_rotates_and_a_spent_refresh_token_is_401(api_client):
    user = UserFactory()
    first = login(api_client, user.email).json()
    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    assert authed(rotated.json()["access"]).get("/api/v1/auth/me/").status_code == 200
    reused = api_client.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "not_authenticated"


def test_refresh_after_logout_is_401(api_client):
    user = UserFactory()
    tokens = login(api_client, user.email).json()
    client = authed(tokens["access"])
    assert client.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json").status_code == 204
    again = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert again.status_code == 401


def test_cannot_log_out_someone_elses_refresh_token(api_client):
    victim, other = UserFactory(), UserFactory()
    victim_tokens = tokens_for(victim)
    response = authed(tokens_for(other)["access"]).post(
        "/api/v1/auth/logout/", {"refresh": victim_tokens["refresh"]}, format="json"
    )
    assert response.status_code == 401
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": victim_tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200


def test_tampered_and_expired_access_tokens_are_401():
    user = UserFactory()
    access = tokens_for(user)["access"]
    header, payload, signature = access.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    assert authed(tampered).get("/api/v1/auth/me/").status_code == 401

    expired = AccessToken.for_user(user)
    expired["tv"] = user.token_version
    expired.set_exp(lifetime=-timedelta(seconds=1))
    response = authed(str(expired)).get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_deactivated_users_token_stops_working_at_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = authed(tokens_for(user)["access"])
    assert client.get("/api/v1/auth/me/").status_code == 200  # the user is now cached
    with django_capture_on_commit_callbacks(execute=True):
        user_set_active(user=user, active=False)
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_password_change_revokes_old_tokens_and_returns_new_ones(django_capture_on_commit_callbacks):
    user = UserFactory()
    old = tokens_for(user)
    client = authed(old["access"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/auth/password/change/", {"old_password": TEST_PASSWORD, "new_password": STRONG}, format="json"
        )
    assert response.status_code == 200
    assert client.get("/api/v1/auth/me/").status_code == 401
    assert authed(response.json()["access"]).get("/api/v1/auth/me/").status_code == 200
    assert (
        APIClient().post("/api/v1/auth/token/refresh/", {"refresh": old["refresh"]}, format="json").status_code == 401
    )


def test_password_change_needs_the_current_password(bearer):
    user = UserFactory()
    response = bearer(user).post(
        "/api/v1/auth/password/change/", {"old_password": "not-it", "new_password": STRONG}, format="json"
    )
    assert response.status_code == 400
    assert "old_password" in response.json()["error"]["fields"]


def test_password_reset_by_email_link(api_client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post("/api/v1/auth/password/reset/", {"email": user.email}, format="json").status_code == 202
        unknown = api_client.post("/api/v1/auth/password/reset/", {"email": "ghost@example.com"}, format="json")
    assert unknown.status_code == 202  # same answer: no account probing
    assert len(mail.outbox) == 1
    uid, token = re.search(r"/accounts/reset/([^/]+)/([^/\s]+)/", mail.outbox[0].body).groups()
    done = api_client.post(
        "/api/v1/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": STRONG}, format="json"
    )
    assert done.status_code == 200
    assert login(api_client, user.email, STRONG).status_code == 200
    reused = api_client.post(
        "/api/v1/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "x" + STRONG},
        format="json",
    )
    assert reused.status_code == 400


def test_profile_update_through_me(bearer):
    user = UserFactory()
    response = bearer(user).patch(
        "/api/v1/auth/me/",
        {"phone": "+33 1 23 45 67 89", "country": "de", "preferred_language": "fr-ca"},
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.country, user.preferred_language) == ("+33 1 23 45 67 89", "DE", "fr-ca")
    bad = bearer(user).patch("/api/v1/auth/me/", {"country": "Germany"}, format="json")
    assert bad.status_code == 400
    unknown = bearer(user).patch("/api/v1/auth/me/", {"preferred_language": "de"}, format="json")
    assert unknown.status_code == 400 and "preferred_language" in unknown.json()["error"]["fields"]


def test_login_is_throttled_per_email_with_429(api_client):
    user = UserFactory()
    statuses = [login(api_client, user.email, "wrong").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    response = login(api_client, user.email)  # even the right password waits
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_login_is_throttled_per_ip_across_emails(api_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "3/60"}
    statuses = [login(api_client, f"user{n}@example.com", "wrong").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
