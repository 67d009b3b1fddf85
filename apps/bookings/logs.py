"""booking_logs: one line per state transition, through the audit outbox (same transaction)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from pymongo.errors import PyMongoError

from apps.audit.models import OutboxEntry
from apps.audit.services import SYSTEM_ACTOR, current_actor, record, request_fields
from apps.bookings.models import Booking
from apps.core import mongo

BOOKING_LOGS = "booking_logs"
logger = logging.getLogger("hbs.bookings")


def booking_log(
    *,
    booking: Booking,
    event: str,
    from_status: str | None,
    details: dict[str, Any] | None = None,
    by_system: bool = False,
) -> OutboxEntry:
    """Queues the line for `event` on `booking` (its status now is the `to_status`). `by_system`: the engine
    acted on its own (a room move to fit another stay), whoever's request set it off."""
    return record(
        collection=BOOKING_LOGS,
        document={
            "reference": booking.reference,
            "booking_id": booking.pk,
            "hotel": booking.hotel_id,
            "event": event,
            "from_status": from_status,
            "to_status": booking.status,
            "actor": dict(SYSTEM_ACTOR) if by_system else current_actor(),
            "at": timezone.now(),
            "details": details or {},
            **request_fields(),
        },
    )


def booking_history(*, booking: Booking) -> list[dict[str, Any]]:
    """The booking's lines, oldest first: MongoDB's, plus those still waiting in the outbox."""
    lines: dict[int, dict[str, Any]] = {}
    shipped_read = False
    if mongo.is_configured():
        try:
            for document in mongo.get_database()[BOOKING_LOGS].find({"reference": booking.reference}):
                lines[document["_id"]] = {**document, "shipped": True}
            shipped_read = True
        except (PyMongoError, mongo.MongoNotConfigured) as error:
            logger.warning("MongoDB unavailable, reading booking history from the outbox", extra={"error": str(error)})
    rows = OutboxEntry.objects.filter(collection=BOOKING_LOGS, document__reference=booking.reference)
    if shipped_read:
        rows = rows.filter(shipped_at__isnull=True)
    for row in rows:
        lines.setdefault(row.pk, {**row.document, "at": row.created_at, "shipped": row.shipped_at is not None})
    return [lines[key] for key in sorted(lines)]
