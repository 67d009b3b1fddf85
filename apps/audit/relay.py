"""The relay: ships outbox rows to MongoDB in batches, exactly once as far as anyone reading MongoDB can tell.

Each batch is claimed with `SELECT … FOR UPDATE SKIP LOCKED`, so two relays
(two workers, or the task and the command) never ship the same rows at the
same time; each row's id is its document's `_id`, so a batch shipped again
after a crash between insert and commit only meets duplicate-key errors,
which count as shipped. While MongoDB is unreachable (or refuses us) the
rows stay, their attempts are counted, and the relay stops for this run
instead of crashing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pymongo.errors import BulkWriteError, PyMongoError

from apps.audit.models import OutboxEntry
from apps.core import mongo

logger = logging.getLogger("hbs.audit.relay")
DUPLICATE_KEY = 11000


class MongoUnavailable(RuntimeError):
    """MongoDB could not be reached (or is not configured); the rows wait for the next run."""


@dataclass
class RelayResult:
    shipped: int = 0
    failed: int = 0
    batches: int = 0
    pruned: int = 0
    unavailable: bool = False
    errors: list[str] = field(default_factory=list)
    refused: set[int] = field(default_factory=set)


def _document(row: OutboxEntry) -> dict[str, Any]:
    # `at` is the instant the change committed its line, a real BSON date for the indexes and `since` filters.
    return {**row.document, "_id": row.pk, "at": row.created_at}


def _ship(collection: str, rows: list[OutboxEntry]) -> tuple[set[int], dict[int, str]]:
    """Inserts the rows' documents; returns (shipped ids, {id: error}) for rows MongoDB refused for another reason."""
    target = mongo.get_database()[collection]
    try:
        target.insert_many([_document(row) for row in rows], ordered=False)
    except BulkWriteError as error:
        refused: dict[int, str] = {}
        duplicates: list[int] = []
        for write_error in error.details.get("writeErrors", []):
            pk = rows[write_error["index"]].pk
            refused[pk] = str(write_error.get("errmsg", "write error"))[:500]
            if write_error.get("code") == DUPLICATE_KEY:
                duplicates.append(pk)
        # A duplicate key on `_id` is a row shipped before (the relay died before marking it): done.
        # Any other unique index can also answer 11000, so ask which of those ids really are there.
        if duplicates:
            for document in target.find({"_id": {"$in": duplicates}}, {"_id": 1}):
                refused.pop(document["_id"], None)
        return {row.pk for row in rows} - set(refused), refused
    return {row.pk for row in rows}, {}


def relay_batch(*, batch_size: int, skip: set[int] | None = None) -> RelayResult:
    """Ships up to `batch_size` of the oldest unshipped rows that no other relay holds (`skip`: refused this run)."""
    result = RelayResult()
    if not mongo.is_configured():
        result.unavailable = True
        result.errors.append("MONGODB_URL is not set")
        return result
    with transaction.atomic():
        rows = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(shipped_at__isnull=True)
            .exclude(pk__in=skip or ())
            .order_by("id")[:batch_size]
        )
        if not rows:
            return result
        result.batches = 1
        by_collection: dict[str, list[OutboxEntry]] = {}
        for row in rows:
            by_collection.setdefault(row.collection, []).append(row)
        shipped: set[int] = set()
        refused: dict[int, str] = {}
        try:
            for collection, batch in by_collection.items():
                done, bad = _ship(collection, batch)
                shipped |= done
                refused |= bad
        except (PyMongoError, mongo.MongoNotConfigured) as error:
            # Down, failing over, or refusing us altogether (auth, config): keep what is left for the
            # next run, note why, and stop this run; the scheduled relay backs off.
            result.unavailable = True
            message = f"{type(error).__name__}: {error}"[:500]
            result.errors.append(message)
            refused |= {row.pk: message for row in rows if row.pk not in shipped}
        now = timezone.now()
        if shipped:
            OutboxEntry.objects.filter(pk__in=shipped).update(shipped_at=now, attempts=F("attempts") + 1, last_error="")
        for pk, message in refused.items():
            OutboxEntry.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=message)
        result.shipped, result.failed = len(shipped), len(refused)
        result.refused = set(refused)
    return result


def prune_shipped(*, older_than: timedelta | None = None) -> int:
    """Deletes shipped rows older than the retention period; unshipped rows are never pruned."""
    keep = older_than if older_than is not None else timedelta(days=settings.AUDIT_OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxEntry.objects.filter(shipped_at__isnull=False, shipped_at__lt=timezone.now() - keep).delete()
    return deleted


def relay_outbox(*, batch_size: int | None = None, max_batches: int | None = None) -> RelayResult:
    """Ships batches until the backlog is empty, MongoDB fails, or `max_batches`; then prunes old shipped rows."""
    size = batch_size or settings.AUDIT_RELAY_BATCH_SIZE
    total = RelayResult()
    while max_batches is None or total.batches < max_batches:
        step = relay_batch(batch_size=size, skip=total.refused)
        total.shipped += step.shipped
        total.failed += step.failed
        total.batches += step.batches
        total.errors += step.errors
        total.refused |= step.refused
        if step.unavailable:
            total.unavailable = True
            logger.warning("MongoDB unavailable, audit rows wait in the outbox", extra={"error": step.errors[-1]})
            break
        # A short batch means the backlog is drained. Rows MongoDB refused are skipped for the rest of
        # this run (so one bad document cannot hold up the others) and retried on the next.
        if step.shipped + step.failed < size:
            break
    if not total.unavailable:
        total.pruned = prune_shipped()
    return total
