"""Writes of the audit app: every document bound for MongoDB enters the outbox here, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from apps.audit.encoding import bson_safe
from apps.audit.models import AUDIT_LOGS, BACKUPS, OutboxEntry
from apps.core import context, mongo

SYSTEM_ACTOR: dict[str, Any] = {"type": "system", "id": None, "email": ""}


def record(*, collection: str, document: dict[str, Any], using: str | None = None) -> OutboxEntry:
    """Queues one document for `collection`. It commits or rolls back with the caller's transaction.

    Nothing here talks to MongoDB: the relay ships the row later, with the
    row's id as `_id`.
    """
    if collection not in mongo.COLLECTIONS:
        raise ValueError(f"Unknown MongoDB collection {collection!r}; known: {', '.join(mongo.COLLECTIONS)}.")
    return OutboxEntry.objects.using(using).create(collection=collection, document=bson_safe(document))


def current_actor() -> dict[str, Any]:
    """The user of the current request, `anonymous` for a request without one, `system` outside requests."""
    ctx = context.current()
    if ctx.request is None and ctx.user_id is None and not ctx.request_id:
        return dict(SYSTEM_ACTOR)
    user = ctx.user
    if user is not None:
        return {"type": "user", "id": user.pk, "email": getattr(user, "email", "")}
    if ctx.user_id is not None:
        return {"type": "user", "id": ctx.user_id, "email": ""}
    return {"type": "anonymous", "id": None, "email": ""}


def request_fields() -> dict[str, str]:
    ctx = context.current()
    return {"request_id": ctx.request_id, "ip": ctx.ip, "user_agent": ctx.user_agent}


def entity_label(model: type[models.Model] | models.Model) -> str:
    """`accounts.user`: the model label, lower case, as API.md names entities."""
    return model._meta.label_lower


def audit_log_record(
    *,
    action: str,
    entity: str,
    entity_id: Any,
    entity_ref: str = "",
    changes: dict[str, Any] | None = None,
    actor: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    using: str | None = None,
) -> OutboxEntry:
    """Queues one audit line: who (actor), did what (action) to which row (entity, entity_id), with which changes.

    `entity_ref` is the row's human key where it has one (a booking's reference, a hotel's slug), so the
    line can be found by what people know the entity as; the registry derives it for audited models.
    """
    document: dict[str, Any] = {
        "action": action,
        "entity": entity,
        "entity_id": "" if entity_id is None else str(entity_id),
        "entity_ref": entity_ref,
        "changes": changes or {},
        "actor": actor if actor is not None else current_actor(),
        **request_fields(),
    }
    if details:
        document["details"] = details
    return record(collection=AUDIT_LOGS, document=document, using=using)


def backup_record(*, instance: models.Model, reason: str, row: dict[str, Any], using: str | None = None) -> OutboxEntry:
    """Queues a full snapshot of a row that is being deleted (soft or for good), for `backup_data_collections`."""
    return record(
        collection=BACKUPS,
        document={
            "entity": entity_label(instance),
            "entity_id": str(instance.pk),
            "reason": reason,
            "row": row,
            "actor": current_actor(),
            **request_fields(),
        },
        using=using,
    )


def audit_log_record_many(
    *,
    action: str,
    entity: str,
    lines: list[tuple[Any, dict[str, Any]]],
    refs: dict[Any, str] | None = None,
    using: str | None = None,
) -> list[OutboxEntry]:
    """One audit line per `(entity_id, changes)`, in one INSERT: for services that write rows with
    bulk_create (which sends no signal) and record their lines themselves; `refs` maps an id to its entity_ref."""
    refs = refs or {}
    actor, request = current_actor(), request_fields()
    entries = [
        OutboxEntry(
            collection=AUDIT_LOGS,
            document=bson_safe(
                {
                    "action": action,
                    "entity": entity,
                    "entity_id": "" if entity_id is None else str(entity_id),
                    "entity_ref": refs.get(entity_id, ""),
                    "changes": changes,
                    "actor": actor,
                    **request,
                }
            ),
        )
        for entity_id, changes in lines
    ]
    return OutboxEntry.objects.using(using).bulk_create(entries)
