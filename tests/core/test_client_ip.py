"""The client address behind a proxy: X-Forwarded-For is believed only when the request comes from TRUSTED_PROXIES."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from apps.core.middleware import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forged_header_changes_nothing(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # our proxy says who called it
        ("10.0.0.5", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the client's own prefix is not believed
        ("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two hops of ours
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not from a proxy of ours: the header is ignored
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_a_login_limit_cannot_be_dodged_by_forging_the_header(settings):
    settings.TRUSTED_PROXIES = []
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "2/3600"}
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/",
            {"email": f"user{n}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]


@pytest.mark.django_db
def test_behind_our_proxy_each_client_has_its_own_login_budget(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "1/3600"}
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"email": "a@example.com", "password": "x"}, HTTP_X_FORWARDED_FOR=address
        ).status_code
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.1")
    ]
    assert statuses == [401, 401, 429]
