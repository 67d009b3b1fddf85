"""Shared by the bench scripts: Django set-up on the bench database, the big hotel, timing and figures."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.bench")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

ROOMS = int(os.environ.get("BENCH_ROOMS", "300"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "150000"))


def big_hotel():  # type: ignore[no-untyped-def]
    """The first demo hotel grown to ROOMS rooms and BOOKINGS bookings (seed_demo, idempotent)."""
    from apps.bookings.models import Booking
    from apps.hotels.models import Hotel

    call_command("seed_demo", "--force", "--rooms", str(ROOMS), "--bookings", str(BOOKINGS), verbosity=0)
    hotel = Hotel.objects.order_by("pk").first()
    print(
        f"hotel {hotel.slug}: {hotel.rooms.count()} rooms, {Booking.all_objects.filter(hotel=hotel).count()} bookings"
    )
    return hotel


def timed(samples: int, call: Callable[[int], object]) -> list[float]:
    durations = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def load() -> str:
    """The machine's load average over 1 minute, printed beside each figure: the benches share the machine."""
    return f"{os.getloadavg()[0]:.1f}/{os.cpu_count()} cores"


def report(name: str, durations: list[float]) -> dict[str, float]:
    ordered = sorted(durations)
    figures = {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "max": ordered[-1],
    }
    print(
        f"{name:<28} p50 {figures['p50']:7.2f} ms   p95 {figures['p95']:7.2f} ms   ({len(ordered)} requests)"
        f"   load {load()}",
        flush=True,
    )
    return figures


def floor(client: Client, samples: int = 400) -> dict[str, float]:
    """/healthz through the same stack: the cost of a request that does nothing.

    /readyz is printed beside it: a request that also makes a few PostgreSQL and
    Redis round trips, the floor of any endpoint that reads data.
    """
    assert client.get("/healthz").status_code == 200
    timed(50, lambda _: client.get("/healthz"))  # warm up
    figures = report("GET /healthz (floor)", timed(samples, lambda _: client.get("/healthz")))
    report("GET /readyz (data floor)", timed(samples, lambda _: client.get("/readyz")))
    return figures


class HttpResponse:
    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content


class HttpClient:
    """Talks to a real ASGI server (uvicorn, as `make run` serves) over one keep-alive connection."""

    def __init__(self, port: int) -> None:
        import http.client

        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str, params: dict | None = None) -> HttpResponse:
        from urllib.parse import urlencode

        url = f"{path}?{urlencode(params)}" if params else path
        self.connection.request("GET", url, headers={"Host": "127.0.0.1"})
        response = self.connection.getresponse()
        return HttpResponse(response.status, response.read())


def serve() -> tuple[HttpClient, Callable[[], None]]:
    """Starts uvicorn on a free port with the bench settings; returns a client and a stop function."""
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "hbs.asgi:application", "--port", str(port), "--log-level", "warning"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hbs.settings.bench"},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if HttpClient(port).get("/healthz").status_code == 200:
                break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)

    def stop() -> None:
        server.terminate()
        server.wait(10)

    return HttpClient(port), stop
