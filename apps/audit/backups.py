"""Backups of deleted rows: every SoftDeleteModel, soft-deleted or deleted for good, leaves a full snapshot.

The snapshot goes to `backup_data_collections` through the outbox, in the
deleting transaction. Secrets masked in the audit are masked here too.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete

from apps.audit import registry
from apps.audit.services import backup_record
from apps.core.models import SoftDeleteModel
from apps.core.signals import soft_deleted


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Every loaded concrete column of the row, by column name, as it was.

    Read from the instance, never re-fetched: after a hard delete there is no row left to fetch.
    """
    loaded = instance.__dict__
    row = {f.attname: loaded[f.attname] for f in instance._meta.concrete_fields if f.attname in loaded}
    spec = registry._models.get(type(instance))
    if spec is not None:
        for name in spec.mask:
            attname = instance._meta.get_field(name).attname  # type: ignore[union-attr]  # masks name concrete fields
            row[attname] = registry.MASKED if row.get(attname) else row.get(attname)
    return row


def _soft_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    backup_record(instance=instance, reason="soft_delete", row=snapshot(instance))


def _hard_deleted(sender: type[models.Model], instance: models.Model, using: str | None = None, **kwargs: Any) -> None:
    backup_record(instance=instance, reason="hard_delete", row=snapshot(instance), using=using)


def connect() -> None:
    soft_deleted.connect(_soft_deleted, dispatch_uid="audit:backup_soft_delete")
    # One receiver per concrete SoftDeleteModel (not a catch-all), so models
    # outside it keep Django's fast bulk delete; hard deletes of any kind
    # (instance, queryset, cascade) pass through post_delete.
    for model in apps.get_models():
        if issubclass(model, SoftDeleteModel):
            post_delete.connect(_hard_deleted, sender=model, dispatch_uid=f"audit:backup:{model._meta.label_lower}")
