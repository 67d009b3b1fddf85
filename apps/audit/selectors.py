"""Reading the audit back: MongoDB first, the outbox for what has not arrived there (or when MongoDB is out).

Both sources share one key, the outbox id (`_id` in MongoDB), and lines are
listed newest first by it, so a page can merge them without gaps or repeats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.errors import PyMongoError

from apps.audit.models import AUDIT_LOGS, OutboxEntry
from apps.core import mongo

logger = logging.getLogger("hbs.audit")


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    entity_id: str | None = None
    ref: str | None = None  # the entity's human key (entity_ref): a booking's reference, a hotel's slug
    actor: int | str | None = None  # a user id, or "system" / "anonymous"
    since: datetime | None = None


@dataclass
class AuditPage:
    lines: list[dict[str, Any]]
    has_more: bool
    mongodb_available: bool


def _mongo_query(filters: AuditFilter) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if filters.entity:
        query["entity"] = filters.entity
    if filters.entity_id is not None:
        query["entity_id"] = filters.entity_id
    if filters.ref:
        query["entity_ref"] = filters.ref
    if isinstance(filters.actor, int):
        query["actor.id"] = filters.actor
    elif filters.actor:
        query["actor.type"] = filters.actor
    if filters.since is not None:
        query["at"] = {"$gte": filters.since}
    return query


def _outbox_rows(filters: AuditFilter) -> Any:
    rows = OutboxEntry.objects.filter(collection=AUDIT_LOGS)
    if filters.entity:
        rows = rows.filter(document__entity=filters.entity)
    if filters.entity_id is not None:
        rows = rows.filter(document__entity_id=filters.entity_id)
    if filters.ref:
        rows = rows.filter(document__entity_ref=filters.ref)
    if isinstance(filters.actor, int):
        rows = rows.filter(document__actor__id=filters.actor)
    elif filters.actor:
        rows = rows.filter(document__actor__type=filters.actor)
    if filters.since is not None:
        rows = rows.filter(created_at__gte=filters.since)
    return rows


def _from_outbox(row: OutboxEntry) -> dict[str, Any]:
    return {**row.document, "id": row.pk, "at": row.created_at, "shipped": row.shipped_at is not None}


def _from_mongo(document: dict[str, Any]) -> dict[str, Any]:
    line = {key: value for key, value in document.items() if key != "_id"}
    return {**line, "id": document["_id"], "shipped": True}


def audit_log_page(
    *, filters: AuditFilter, limit: int, before: int | None = None, after: int | None = None
) -> AuditPage:
    """One page of audit lines, newest first: ids below `before` (next pages) or above `after` (previous pages).

    With MongoDB reachable: its lines plus those still waiting in the outbox.
    Without it: every line the outbox still holds, each marked `shipped` or not,
    so the audit reads complete even on a machine with no MongoDB at all.
    """
    newest_first = after is None
    id_range: dict[str, int] = {}
    if before is not None:
        id_range["$lt"] = before
    if after is not None:
        id_range["$gt"] = after
    sort = -1 if newest_first else 1

    lines: dict[int, dict[str, Any]] = {}
    mongodb_available = mongo.is_configured()
    if mongodb_available:
        query = _mongo_query(filters)
        if id_range:
            query["_id"] = id_range
        try:
            found = mongo.get_database()[AUDIT_LOGS].find(query).sort("_id", sort).limit(limit + 1)
            lines.update({document["_id"]: _from_mongo(document) for document in found})
        except (PyMongoError, mongo.MongoNotConfigured) as error:
            logger.warning("MongoDB unavailable, reading the audit from the outbox", extra={"error": str(error)})
            mongodb_available = False

    rows = _outbox_rows(filters)
    if mongodb_available:
        rows = rows.filter(shipped_at__isnull=True)  # shipped ones were read from MongoDB
    if before is not None:
        rows = rows.filter(pk__lt=before)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    rows = rows.order_by("-pk" if newest_first else "pk")[: limit + 1]
    for row in rows:
        # MongoDB's copy wins for a row shipped between the two reads.
        lines.setdefault(row.pk, _from_outbox(row))

    ordered = sorted(lines.values(), key=lambda line: line["id"], reverse=newest_first)
    has_more = len(ordered) > limit
    page = ordered[:limit]
    if not newest_first:
        page.reverse()
    return AuditPage(lines=page, has_more=has_more, mongodb_available=mongodb_available)


def audit_log_for_object(*, entity: str, entity_id: str, limit: int = 200) -> AuditPage:
    """The newest lines about one row, for the admin's history page."""
    return audit_log_page(filters=AuditFilter(entity=entity, entity_id=entity_id), limit=limit)
