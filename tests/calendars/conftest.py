"""Channel feeds served by a local HTTP server on 127.0.0.1: the import tests never leave the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.accounts.roles import FRONT_DESK, HOTEL_MANAGER
from tests.bookings.conftest import SmallHotel, make_hotel
from tests.reviews.conftest import client_for, staff  # noqa: F401  (re-exported for the calendar tests)


def ics(*events: str) -> bytes:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test channel//EN\r\n{body}END:VCALENDAR\r\n".encode()


def event(uid: str, start: date, end: date | None, *, status: str = "", summary: str = "Reserved") -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"DTSTART;VALUE=DATE:{start:%Y%m%d}"]
    if end is not None:
        lines.append(f"DTEND;VALUE=DATE:{end:%Y%m%d}")
    if status:
        lines.append(f"STATUS:{status}")
    lines += [f"SUMMARY:{summary}", "END:VEVENT"]
    return "\r\n".join(lines) + "\r\n"


@dataclass
class FeedServer:
    """Serves `feeds[path]` with an ETag; answers 304 to a matching If-None-Match; `slow` paths never answer in time."""

    base: str
    feeds: dict[str, bytes] = field(default_factory=dict)
    slow: set[str] = field(default_factory=set)
    requests: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server_state = FeedServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_state.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            if self.path in server_state.slow:
                time.sleep(2)
            body = server_state.feeds.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server_state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def place(db) -> SmallHotel:
    return make_hotel(rooms=2)


@pytest.fixture
def manager(place, django_capture_on_commit_callbacks):
    return staff(place, HOTEL_MANAGER, django_capture_on_commit_callbacks)


@pytest.fixture
def desk(place, django_capture_on_commit_callbacks):
    return staff(place, FRONT_DESK, django_capture_on_commit_callbacks)
