"""HTTP through the real server `make run` and the Dockerfile start (uvicorn + hbs.asgi), beside the websockets.

hbs.asgi serves HTTP with Django's sync handler on a pool of threads (hbs/serving.py): the answers,
headers, error shape, streamed files and request bodies must be what Django's own handlers give,
each thread must keep its PostgreSQL connection instead of opening one per request, and the
websocket must answer on the same port.
"""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from websockets.sync import client as ws

from apps.accounts.tokens import tokens_for
from hbs.serving import DEFAULT_THREADS
from tests.factories import TEST_PASSWORD, UserFactory
from tests.notifications.server import running_asgi_server

pytestmark = pytest.mark.django_db(transaction=True)


class Http:
    """One keep-alive connection to the server, as a browser or an app holds it."""

    def __init__(self, base: str) -> None:
        address = urlsplit(base)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, Any, bytes]:
        self.connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        response = self.connection.getresponse()
        return response.status, response.headers, response.read()


def test_healthz_and_a_page_keep_their_headers_request_id_and_csp_nonce():
    with running_asgi_server() as base:
        client = Http(base)
        status, headers, body = client.request("GET", "/healthz", **{"X-Request-ID": "serving-1"})
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert headers["X-Request-ID"] == "serving-1"
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"

        status, headers, body = client.request("GET", "/")  # the same connection, kept alive
        assert status == 200
        nonce = re.search(r"'nonce-([^']+)'", headers["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"'.encode() in body
        assert len(headers["X-Request-ID"]) == 32


def test_a_json_body_is_read_and_errors_keep_the_one_shape():
    user = UserFactory(email="serving@hbs.test")
    with running_asgi_server() as base:
        client = Http(base)
        wrong = json.dumps({"email": user.email, "password": "not-the-password"}).encode()
        status, _, body = client.request("POST", "/api/v1/auth/token/", wrong, **{"Content-Type": "application/json"})
        assert status == 401
        assert set(json.loads(body)["error"]) == {"code", "message", "fields"}

        right = json.dumps({"email": user.email, "password": TEST_PASSWORD}).encode()
        status, _, body = client.request("POST", "/api/v1/auth/token/", right, **{"Content-Type": "application/json"})
        assert status == 200 and {"access", "refresh"} <= set(json.loads(body))

        status, _, body = client.request("GET", "/api/v1/no-such-thing/")
        assert status == 404 and json.loads(body)["error"]["code"] == "not_found"


def test_a_static_file_is_streamed_whole():
    on_disk = (Path(settings.BASE_DIR) / "static" / "css" / "hbs.css").read_bytes()
    with running_asgi_server() as base:
        status, headers, body = Http(base).request("GET", "/static/css/hbs.css")
    assert status == 200
    assert body == on_disk and int(headers["Content-Length"]) == len(on_disk)


@pytest.mark.urls("tests.core.serving_urls")
def test_requests_reuse_the_pools_threads_and_their_database_connections():
    with running_asgi_server() as base:
        client = Http(base)
        answers = [json.loads(client.request("GET", "/probe/backend/")[2]) for _ in range(40)]
    # However many requests: at most one thread of the pool each, and one PostgreSQL connection per thread
    # (Django's own ASGI handler started a thread, so opened a connection, per request).
    assert len({answer["thread"] for answer in answers}) <= DEFAULT_THREADS
    assert len({answer["backend"] for answer in answers}) <= DEFAULT_THREADS


def test_the_websocket_answers_on_the_same_port_as_the_pages():
    user = UserFactory()
    token = tokens_for(user)["access"]
    with running_asgi_server() as base:
        status, _, _ = Http(base).request("GET", "/healthz")
        assert status == 200
        with ws.connect(base.replace("http://", "ws://") + f"/ws/notifications/?token={token}") as socket:
            assert json.loads(socket.recv(timeout=5)) == {"type": "unread_count", "count": 0}
