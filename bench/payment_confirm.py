"""The payment confirm path: a signed webhook arriving → payment taken → held booking confirmed.

Run: .venv/bin/python -m hbs.devenv bench bench/payment_confirm.py
Holds are made first (not timed); each sample then times the full webhook
request through Django (signature check, event row, locks, payment,
booking_confirm, booking_logs and audit outbox rows, commit).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.bench")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.bookings.models import Booking  # noqa: E402
from apps.bookings.services import booking_create  # noqa: E402
from apps.hotels.models import Hotel, Room, RoomType  # noqa: E402
from apps.payments.providers import PAYMENT_SUCCEEDED  # noqa: E402
from apps.payments.providers import simulated as sim  # noqa: E402
from apps.payments.services import payment_start_online  # noqa: E402

SAMPLES = 300
WEBHOOK = "/api/v1/payments/webhook/simulated/"


def setup() -> list[int]:
    run = timezone.now().strftime("%H%M%S%f")
    hotel = Hotel.objects.create(
        name=f"Bench {run}", slug=f"bench-pay-{run}", city="Lisbon", country="PT", time_zone="UTC", currency="EUR"
    )
    room_type = RoomType.objects.create(hotel=hotel, name="Double", base_rate="100.00", max_adults=2)
    Room.objects.bulk_create(Room(hotel=hotel, room_type=room_type, number=str(n), floor=1) for n in range(SAMPLES))
    guest, _ = User.objects.get_or_create(email="bench-payer@hbs.test")
    start = timezone.now().date() + timedelta(days=30)
    payments = []
    for _ in range(SAMPLES):
        booking = booking_create(
            guest=guest, hotel=hotel, room_type=room_type, check_in=start, check_out=start + timedelta(days=2), adults=2
        )
        payments.append(payment_start_online(booking=booking, started_by=guest).payment)
    return [p.pk for p in payments]


def main() -> None:
    from apps.payments.models import Payment

    payment_ids = setup()
    client = Client(HTTP_HOST="127.0.0.1")
    samples = []
    for payment in Payment.objects.filter(pk__in=payment_ids).order_by("pk"):
        body = sim.event_body(payment=payment, kind=PAYMENT_SUCCEEDED, card_last4="4242")
        header = sim.signature_header(body=body)
        started = time.perf_counter()
        response = client.post(WEBHOOK, data=body, content_type="application/json", HTTP_HBS_SIGNATURE=header)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response.json()["outcome"] == "confirmed", response.content
    confirmed = Booking.objects.filter(payments__pk__in=payment_ids, status=Booking.Status.CONFIRMED).count()
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"confirm path (signed webhook → confirmed): p50 {statistics.median(ordered):.2f} ms  "
        f"p95 {p95:.2f} ms  max {ordered[-1]:.2f} ms  ({len(ordered)} payments, {confirmed} confirmed)"
    )


if __name__ == "__main__":
    main()
