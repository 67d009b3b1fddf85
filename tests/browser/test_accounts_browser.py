"""A guest signs up and logs in through real Chromium: htmx, CSP and CSRF working together."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from apps.accounts.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_shows_errors_in_place_then_sends_the_guest_to_log_in(page):
    page.goto("/accounts/signup/")
    page.fill("#id_email", "browser.guest@example.com")
    page.fill("#id_password", "password")
    page.click("button[type=submit]")
    # htmx swapped the form with its errors; the page itself did not reload
    page.wait_for_selector("text=This password is too common.")
    assert page.url.endswith("/accounts/signup/")

    page.fill("#id_first_name", "Bea")
    page.fill("#id_password", "quiet-room-on-the-top-floor")  # never re-sent to the browser
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    assert page.is_visible("text=We sent an email to browser.guest@example.com")
    assert User.objects.filter(email="browser.guest@example.com").exists()
    page.screenshot(path="var/screenshots/signup-done.png", full_page=True)


def test_wrong_password_then_login(page):
    user = UserFactory(email="returning@example.com", first_name="Rita")
    page.goto("/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Email or password is incorrect.")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button[type=submit]")
    page.wait_for_selector("nav >> text=Rita")
