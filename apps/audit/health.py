"""Readiness of the audit pipeline: how many lines wait in the outbox, and for how long the oldest has waited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from apps.audit.models import OutboxEntry


def check_outbox() -> dict[str, Any]:
    """`down` once the oldest waiting row is older than AUDIT_OUTBOX_STALE_SECONDS (relay stuck or MongoDB out)."""
    try:
        backlog = OutboxEntry.objects.filter(shipped_at__isnull=True).aggregate(
            count=Count("id"), oldest=Min("created_at")
        )
    except Exception as error:  # the PostgreSQL check reports the cause; this one just cannot tell
        return {"state": "down", "error": f"{type(error).__name__}: {error}"[:300]}
    age = (timezone.now() - backlog["oldest"]).total_seconds() if backlog["oldest"] else 0.0
    stale = age > settings.AUDIT_OUTBOX_STALE_SECONDS
    return {"state": "down" if stale else "up", "backlog": backlog["count"], "oldest_age_seconds": round(age, 1)}
