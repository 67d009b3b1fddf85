"""Account pages as a guest uses them in a browser, with and without htmx."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from apps.accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "quiet-room-on-the-top-floor"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_signup_verify_then_login(django_capture_on_commit_callbacks):
    client = Client()
    assert b"Create an account" in client.get("/accounts/signup/").content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/", {"email": "page.guest@example.com", "password": STRONG, "first_name": "Paula"}
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    user = User.objects.get(email="page.guest@example.com")
    assert list(user.groups.values_list("name", flat=True)) == ["guest"]
    page = client.get(response["Location"])
    assert b"We sent an email to page.guest@example.com" in page.content
    assert "_auth_user_id" not in client.session  # signed in only with the password, like a taken address

    link = re.search(r"(/accounts/verify/[^\s]+/)", mail.outbox[0].body).group(1)
    client.get(link)
    user.refresh_from_db()
    assert user.email_verified_at is not None

    client.post("/accounts/logout/")
    login = Client().post("/accounts/login/", {"username": "PAGE.guest@example.com", "password": STRONG})
    assert login.status_code == 302


def test_signup_errors_render_in_place_for_htmx():
    response = Client().post("/accounts/signup/", {"email": "new@example.com", "password": "password"}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<form")  # only the form partial, swapped in place
    assert "This password is too common." in html
    assert "<html" not in html


def test_signup_with_a_taken_address_looks_like_any_other_and_emails_the_owner(django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        taken = Client().post("/accounts/signup/", {"email": "taken@example.com", "password": STRONG})
        fresh = Client().post("/accounts/signup/", {"email": "fresh@example.com", "password": STRONG})
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert sorted(message.to[0] for message in mail.outbox) == ["fresh@example.com", "taken@example.com"]
    assert User.objects.filter(email="taken@example.com").count() == 1


def test_signup_weak_password_message_beside_the_field():
    response = Client().post("/accounts/signup/", {"email": "new@example.com", "password": "password"})
    assert response.status_code == 400
    assert b"This password is too common." in response.content
    assert not User.objects.filter(email="new@example.com").exists()


def test_htmx_signup_success_redirects_the_whole_page():
    response = Client().post("/accounts/signup/", {"email": "hx@example.com", "password": STRONG}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/"


def test_wrong_password_shows_one_message_and_400():
    user = UserFactory()
    response = Client().post("/accounts/login/", {"username": user.email, "password": "nope"})
    assert response.status_code == 400
    assert b"Email or password is incorrect." in response.content


def test_login_page_is_throttled_with_429_and_a_message():
    user = UserFactory()
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.email, "password": "nope"})
    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset_pages(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    path = re.search(r"(/accounts/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200
    done = client.post(path, {"new_password": STRONG})
    assert done.status_code == 302
    assert Client().login(username=user.email, password=STRONG)
    again = client.get(path)  # a used link sends the guest back with a message
    assert again.status_code == 302


def test_profile_and_password_change_pages():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    saved = client.post(
        "/accounts/profile/",
        {
            "first_name": "Ines",
            "last_name": "Lopes",
            "phone": "+351 21 000",
            "country": "pt",
            "preferred_language": "fr-ca",
        },
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.country, user.preferred_language) == ("Ines", "PT", "fr-ca")
    wrong = client.post("/accounts/password/change/", {"old_password": "nope", "new_password": STRONG})
    assert wrong.status_code == 400
    # The page follows the language just saved in the profile.
    assert "Votre mot de passe actuel est incorrect." in wrong.content.decode()
    assert "Your current password is not correct." not in wrong.content.decode()
    changed = client.post("/accounts/password/change/", {"old_password": TEST_PASSWORD, "new_password": STRONG})
    assert changed.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200  # still logged in here


def test_profile_needs_login():
    response = Client().get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
