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
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["email"] == "new.guest@example.com" and "new.guest@example.com" in body["detail"]
    user = User.objects.get(email="new.guest@example.com")
    assert user.email_verified_at is None
    assert list(user.groups.values_list("name", flat=True)) == ["guest"]

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
    weak_taken = api_client.post("/api/v1/auth/register/", {"email": "taken@example.com", "password": "12345678"})
    assert weak_taken.status_code == 400 and weak_taken.json() == weak.json() | {  # no probing with a weak password
        "error": {**weak.json()["error"], "fields": weak_taken.json()["error"]["fields"]}
    }


def test_sign_up_answers_alike_for_a_taken_address_and_emails_its_owner(api_client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = api_client.post("/api/v1/auth/register/", {"email": "free@example.com", "password": STRONG})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        taken = api_client.post("/api/v1/auth/register/", {"email": "TAKEN@example.com", "password": STRONG})
    assert (taken.status_code, fresh.status_code) == (202, 202)
    assert set(taken.json()) == set(fresh.json()) == {"email", "detail"}
    assert taken.json()["detail"].replace("taken", "free") == fresh.json()["detail"]
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert [message.to for message in mail.outbox] == [["taken@example.com"]]
    assert "already has one" in mail.outbox[0].body


def test_a_look_alike_address_is_the_same_account_and_shares_its_login_limit(api_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-email": "2/3600"}
    owner = UserFactory(email="guest@example.com")
    look_alike = "gue\u017ft@example.com"  # a long s: casefolds to "s"
    assert api_client.post("/api/v1/auth/register/", {"email": look_alike, "password": STRONG}).status_code == 202
    assert list(User.objects.values_list("pk", flat=True)) == [owner.pk]
    statuses = [
        login(api_client, email, "wrong").status_code
        for email in ("guest@example.com", look_alike, "GUEST@example.com")
    ]
    assert statuses == [401, 401, 429]


def test_the_migration_stores_canonical_addresses_and_refuses_a_clash():
    import importlib

    from django.apps import apps as installed

    migration = importlib.import_module("apps.accounts.migrations.0005_canonical_emails")
    odd = UserFactory()
    User.objects.filter(pk=odd.pk).update(email="Odd.\uff27uest@Example.com")
    migration.canonicalize(installed, None)
    assert User.objects.get(pk=odd.pk).email == "odd.guest@example.com"
    twin = UserFactory()
    User.objects.filter(pk=twin.pk).update(email="ODD.gue\u017ft@example.com")
    with pytest.raises(RuntimeError, match=r"odd\.guest@example\.com"):
        migration.canonicalize(installed, None)


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


def test_password_reset_answers_before_any_lookup_the_worker_does_it(api_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    UserFactory(email="known@example.com")
    for email in ("known@example.com", "unknown@example.com"):
        response = api_client.post("/api/v1/auth/password/reset/", {"email": email})
        assert response.status_code == 202
    assert mail.outbox == []  # nothing was looked up or sent while the request waited
    queued = DBTaskResult.objects.filter(task_path="apps.accounts.tasks.send_password_reset")
    assert sorted(row.args_kwargs["kwargs"]["email"] for row in queued) == ["known@example.com", "unknown@example.com"]
