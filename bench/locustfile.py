"""Load for bench/load.py (locust, headless): guests searching dates, and with LOAD_BOOK_SHARE some booking.

Reads LOAD_HOTEL (slug), LOAD_TODAY (ISO date), LOAD_TOKENS (a file of access tokens, one a line) and
LOAD_BOOK_SHARE (0 to 1, the share of tasks that book; 0 = searches only) from the environment.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from pathlib import Path

from locust import FastHttpUser, constant, task

HOTEL = os.environ.get("LOAD_HOTEL", "")
TODAY = date.fromisoformat(os.environ.get("LOAD_TODAY", date.today().isoformat()))  # noqa: DTZ011
TOKENS = Path(os.environ["LOAD_TOKENS"]).read_text().split() if os.environ.get("LOAD_TOKENS") else []
BOOK_SHARE = float(os.environ.get("LOAD_BOOK_SHARE", "0"))
ROOM_TYPES = [int(pk) for pk in os.environ.get("LOAD_ROOM_TYPES", "").split(",") if pk]


def stay() -> tuple[date, date]:
    check_in = TODAY + timedelta(days=random.randint(1, 400))
    return check_in, check_in + timedelta(days=random.randint(1, 5))


class Guest(FastHttpUser):
    wait_time = constant(0)

    @task
    def search_or_book(self) -> None:
        check_in, check_out = stay()
        if TOKENS and ROOM_TYPES and random.random() < BOOK_SHARE:
            body = {
                "hotel": HOTEL,
                "room_type": random.choice(ROOM_TYPES),
                "check_in": check_in.isoformat(),
                "check_out": check_out.isoformat(),
                "adults": 1,
            }
            headers = {"Authorization": f"Bearer {random.choice(TOKENS)}"}
            with self.client.post(
                "/api/v1/bookings/", json=body, headers=headers, name="POST bookings", catch_response=True
            ) as response:
                if response.status_code in (201, 409):  # a sold-out stay is an answer, not an error
                    response.success()
            return
        params = {"hotel": HOTEL, "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "adults": 2}
        self.client.get("/api/v1/availability/", params=params, name="GET availability")
