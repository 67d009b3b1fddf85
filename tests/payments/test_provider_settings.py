"""The test card never takes a payment where the simulated provider is not configured (a real hotel's site)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from apps.bookings.models import Booking
from apps.payments.models import Payment
from apps.payments.providers import simulated as sim
from tests.clients import client_for
from tests.payments.conftest import post_webhook, signed

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "hbs.settings.production",
    "DJANGO_SECRET_KEY": "production-secret-key-for-the-settings-test-only-0123456789",
    "JWT_SIGNING_KEY": "a-jwt-signing-key-of-its-own-for-the-settings-test-0123456789",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}
# What the production process is asked, once its settings are loaded.
PROBE = """
import django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    resolve("/pay/sim/any-token/")
    print("simulated page routed")
except Resolver404:
    print("simulated page not routed")
print("provider", repr(settings.PAYMENT_ONLINE_PROVIDER))
"""


def start_production(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    """A process on the production settings, with nothing inherited from the test settings' variables."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PAYMENT_", "JWT_", "SIMULATED_"))
    }
    environment.update(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_with_the_simulated_provider():
    started = start_production(PAYMENT_ONLINE_PROVIDER="simulated", PAYMENT_WEBHOOK_SECRET="w" * 40)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND" in started.stderr


def test_a_demo_site_may_run_the_simulated_provider_when_it_says_so_out_loud():
    started = start_production(
        PAYMENT_ONLINE_PROVIDER="simulated",
        PAYMENT_WEBHOOK_SECRET="w" * 40,
        SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND="true",
    )
    assert started.returncode == 0, started.stderr
    assert "simulated page routed" in started.stdout


def test_production_without_an_online_provider_routes_no_test_card_page():
    started = start_production()
    assert started.returncode == 0, started.stderr
    assert "simulated page not routed" in started.stdout
    assert "provider ''" in started.stdout


@pytest.mark.parametrize("setting", ["JWT_SIGNING_KEY", "PAYMENT_WEBHOOK_SECRET"])
def test_signing_keys_are_never_the_django_secret_key(setting):
    keys = {"PAYMENT_WEBHOOK_SECRET": "w" * 40, setting: PRODUCTION_ENV["DJANGO_SECRET_KEY"]}
    started = start_production(
        PAYMENT_ONLINE_PROVIDER="simulated", SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND="true", **keys
    )
    assert started.returncode != 0
    assert f"{setting} must be a key of its own" in started.stderr


def test_production_needs_a_jwt_signing_key():
    started = start_production(JWT_SIGNING_KEY=None)
    assert started.returncode != 0
    assert "JWT_SIGNING_KEY" in started.stderr


def test_an_online_provider_needs_a_webhook_secret():
    started = start_production(
        PAYMENT_ONLINE_PROVIDER="simulated", SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND="true"
    )
    assert started.returncode != 0
    assert "needs PAYMENT_WEBHOOK_SECRET" in started.stderr


@pytest.mark.django_db
def test_without_the_simulated_provider_a_signed_test_card_event_confirms_nothing(pending, held):
    """The attack: the page signs its own webhook. With the provider off, neither page nor webhook answers."""
    body, header = signed(pending)
    visitor = client_for(held.guest)
    with override_settings(PAYMENT_ONLINE_PROVIDER=""):
        page = visitor.get(f"/pay/sim/{pending.provider_reference}/")
        card = visitor.post(
            f"/pay/sim/{pending.provider_reference}/",
            {"number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123", "name": "Anon"},
        )
        webhook = post_webhook(body, header)
    assert page.status_code == 404 and card.status_code == 404
    assert webhook.status_code == 404 and webhook.json()["error"]["code"] == "not_found"
    held.refresh_from_db()
    pending.refresh_from_db()
    assert held.status == Booking.Status.HELD
    assert pending.status == Payment.Status.PENDING


@pytest.mark.django_db
def test_without_an_online_provider_the_api_refuses_online_payment_and_the_page_offers_none(held, client):
    client.force_login(held.guest)
    with override_settings(PAYMENT_ONLINE_PROVIDER=""):
        answer = client_for(held.guest).post(
            f"/api/v1/bookings/{held.reference}/payments/", {"method": "online"}, format="json"
        )
        detail = client.get(f"/bookings/{held.reference}/")
    assert answer.status_code == 400
    message = "Online payment is not offered here: pay at the hotel or at the desk."
    assert answer.json()["error"]["fields"]["method"] == [message]
    assert not Payment.objects.filter(booking=held).exists()
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Pay online" not in page and "Pay at the hotel" in page
    assert sim.NAME not in page
