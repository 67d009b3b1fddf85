"""Throughput of availability (and of a mix with bookings) against the ASGI server, with locust headless.

Run: .venv/bin/python -m hbs.devenv bench bench/load.py
(LOAD_USERS concurrent clients, default 40; LOAD_SECONDS per run, default 30; LOAD_WORKERS uvicorn workers,
default 4; LOAD_RUNS=mixed runs only the mix.) The server is uvicorn with the bench settings, as the Procfile's
web process; locust runs in its own process on the same machine, so it shares the cores it measures: the figures
are a floor.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import big_hotel

USERS = int(os.environ.get("LOAD_USERS", "40"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
RUNS = os.environ.get("LOAD_RUNS", "searches,mixed").split(",")
ROOT = Path(__file__).resolve().parent.parent


def start_server() -> tuple[subprocess.Popen, int]:
    import http.client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "hbs.asgi:application",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hbs.settings.bench"},
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.3)


def run(label: str, port: int, env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "load")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(USERS),
                "-t",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            check=False,
            capture_output=True,
        )
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    print(f"\n-- {label}: {USERS} clients, {SECONDS} s, {WORKERS} workers")
    for row in rows:
        print(
            f"{row['Name']:<18} {float(row['Requests/s']):8.1f} req/s   failures {row['Failure Count']:>5}   "
            f"p50 {row['50%']:>5} ms   p95 {row['95%']:>5} ms   ({row['Request Count']} requests)"
        )


def main() -> None:
    from apps.accounts.models import User
    from apps.accounts.tokens import tokens_for
    from apps.hotels.models import RoomType
    from apps.hotels.stays import hotel_today

    hotel = big_hotel()
    guests = list(User.objects.filter(email__endswith="@bench.hbs.test").order_by("pk")[:50])
    with tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False) as tokens:
        tokens.write("\n".join(tokens_for(guest)["access"] for guest in guests))
    types = ",".join(str(pk) for pk in RoomType.objects.filter(hotel=hotel).values_list("pk", flat=True))
    common = {
        "LOAD_HOTEL": hotel.slug,
        "LOAD_TODAY": hotel_today(hotel).isoformat(),
        "LOAD_TOKENS": tokens.name,
        "LOAD_ROOM_TYPES": types,
    }
    server, port = start_server()
    try:
        if "searches" in RUNS:
            run("availability searches only", port, {**common, "LOAD_BOOK_SHARE": "0"})
        if "mixed" in RUNS:
            run("mixed: 90 % searches, 10 % bookings (holds)", port, {**common, "LOAD_BOOK_SHARE": "0.1"})
    finally:
        server.terminate()
        server.wait(20)
        os.unlink(tokens.name)


if __name__ == "__main__":
    main()
