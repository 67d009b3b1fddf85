"""The one list of audited models, and the signal handlers that turn their writes into audit lines.

`register(Model, exclude=..., mask=..., ref=...)` is all a domain app does:
creates, updates, soft deletes, restores and deletes of that model then each
leave one line in `audit_logs` (through the outbox, in the writer's
transaction) with the changed fields as `{field: [old, new]}`. `ref` names the
field that is the row's human key (a booking's `reference`, a hotel's `slug`):
its value goes on every line as `entity_ref`, so `audit-logs/?ref=` finds the
lines of what people know by that key. A model without one leaves it out and
its lines carry an empty `entity_ref`. `register_m2m(Model, "field")`
does the same for a many-to-many relation (roles, permissions).

What signals cannot see is not audited: `QuerySet.update()`, `bulk_create()`
and raw SQL bypass `save()`; services that use them write their own lines
with `audit_bulk_created` (after bulk_create), `audit_bulk_updated` (after an
update() of rows loaded and changed in memory) or `audit_log_record`. The
"old" side of a diff is the row as this instance loaded it: services that
must be exact about concurrent edits load the row under a lock
(`select_for_update`) before changing it, as they do anyway.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from apps.audit.services import audit_log_record, audit_log_record_many, entity_label

MASKED = "********"
# Bookkeeping that changes on every save and tells an auditor nothing.
ALWAYS_EXCLUDED = frozenset({"updated_at"})
_SNAPSHOT = "_audit_snapshot"
_CLEARED = "_audit_cleared"


@dataclass(frozen=True)
class AuditedModel:
    model: type[models.Model]
    exclude: frozenset[str]
    mask: frozenset[str]
    ref: str | None = None  # the field holding the row's human key


@dataclass(frozen=True)
class AuditedRelation:
    model: type[models.Model]  # the side that declares the field (User for "groups")
    field_name: str
    target: type[models.Model]
    reverse_accessor: str  # the target's manager of the relation (Group.user_set for User.groups)


_models: dict[type[models.Model], AuditedModel] = {}
_relations: dict[type[models.Model], AuditedRelation] = {}  # keyed by the through model


def register(
    model: type[models.Model], *, exclude: tuple[str, ...] = (), mask: tuple[str, ...] = (), ref: str | None = None
) -> None:
    """Audits every create, update, (soft) delete and restore of `model`; `mask` fields are recorded as changed only;
    `ref` is the field whose value is each line's `entity_ref`."""
    names = {field.name for field in model._meta.concrete_fields}
    unknown = (set(exclude) | set(mask) | ({ref} if ref else set())) - names
    if unknown:
        raise ValueError(f"{model._meta.label} has no field(s) {', '.join(sorted(unknown))}.")
    if ref in mask:
        raise ValueError(f"{model._meta.label}.{ref} is masked: it cannot also name the lines.")
    _models[model] = AuditedModel(
        model=model, exclude=frozenset(exclude) | ALWAYS_EXCLUDED, mask=frozenset(mask), ref=ref
    )
    uid = f"audit:{model._meta.label_lower}"
    post_init.connect(_remember, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def unregister(model: type[models.Model]) -> None:
    uid = f"audit:{model._meta.label_lower}"
    post_init.disconnect(sender=model, dispatch_uid=uid)
    post_save.disconnect(sender=model, dispatch_uid=uid)
    post_delete.disconnect(sender=model, dispatch_uid=uid)
    _models.pop(model, None)


def register_m2m(model: type[models.Model], field_name: str) -> None:
    """Audits additions to and removals from `model.field_name`, from either side of the relation."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.ManyToManyField):
        raise ValueError(f"{model._meta.label}.{field_name} is not a many-to-many field.")
    through, target = field.remote_field.through, field.related_model
    accessor = field.remote_field.get_accessor_name()
    if through is None or not isinstance(target, type) or accessor is None:
        raise ValueError(f"{model._meta.label}.{field_name} has no through model, target or reverse accessor.")
    _relations[through] = AuditedRelation(model=model, field_name=field_name, target=target, reverse_accessor=accessor)
    m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"audit:{through._meta.label_lower}", weak=False)


def audited_models() -> list[type[models.Model]]:
    return list(_models)


def ref_field(model: type[models.Model]) -> str | None:
    """The field that names rows of `model` on their audit lines, or None (not audited, or no human key)."""
    spec = _models.get(model)
    return spec.ref if spec is not None else None


def _attname(model: type[models.Model], name: str) -> str:
    return next(field.attname for field in model._meta.concrete_fields if field.name == name)


def entity_ref(instance: models.Model) -> str:
    """The human key `instance`'s audit lines carry: its `ref` field's value, or "" for a model without one."""
    name = ref_field(type(instance))
    if name is None:
        return ""
    attname = _attname(type(instance), name)
    if attname in instance.__dict__:
        value = instance.__dict__[attname]
    else:  # deferred when loaded: read it, never refresh the instance (it may be the one being deleted)
        value = type(instance)._base_manager.filter(pk=instance.pk).values_list(attname, flat=True).first()
    return "" if value is None else str(value)


def _refs_of(model: type[models.Model], pks: set[Any]) -> dict[Any, str]:
    name = ref_field(model)
    if name is None or not pks:
        return {}
    rows = model._base_manager.filter(pk__in=pks).values_list("pk", _attname(model, name))
    return {pk: "" if value is None else str(value) for pk, value in rows}


def field_values(instance: models.Model) -> dict[str, Any]:
    """The loaded concrete fields by name (foreign keys as their id); deferred fields are left out, never fetched."""
    loaded = instance.__dict__
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.attname in loaded:
            values[field.name] = loaded[field.attname]
    return values


_IMMUTABLE = (str, int, float, Decimal, date, datetime, time, timedelta, uuid.UUID, bytes, type(None))


def _remember(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # Runs for every row loaded, so only what can change in place (a JSONField's dict or
    # list, an array) is deep-copied: an edit in place must still show as a change.
    instance.__dict__[_SNAPSHOT] = {
        name: value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)
        for name, value in field_values(instance).items()
    }


def _masked(spec: AuditedModel, changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    shown: dict[str, list[Any]] = {}
    for name, (old, new) in changes.items():
        if name in spec.exclude:
            continue
        if name in spec.mask:
            old, new = (None if old in (None, "") else MASKED), (None if new in (None, "") else MASKED)
        shown[name] = [old, new]
    return shown


def _line(
    sender: type[models.Model], instance: models.Model, *, created: bool, update_fields: Any = None
) -> tuple[str, dict[str, list[Any]]] | None:
    """The (action, changes) of the line a save of `instance` leaves, None when it leaves none; the row's
    snapshot becomes what was saved."""
    spec = _models.get(sender)
    if spec is None:
        return None
    now = field_values(instance)
    if created:
        changes = {name: [None, value] for name, value in now.items() if value not in (None, "")}
        action = "create"
    else:
        before = instance.__dict__.get(_SNAPSHOT, {})
        names = set(now) if update_fields is None else {instance._meta.get_field(f).name for f in update_fields}
        # A field missing from the snapshot was deferred when loaded: its old value is unknown, so it is not claimed.
        changes = {n: [before[n], now[n]] for n in names if n in before and n in now and before[n] != now[n]}
        action = "update"
        if "is_deleted" in changes:
            action = "soft_delete" if now["is_deleted"] else "restore"
    shown = _masked(spec, changes)
    instance.__dict__[_SNAPSHOT] = copy.deepcopy(now)
    return (action, shown) if shown or created else None


def _saved(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    update_fields: frozenset[str] | None = None,
    using: str | None = None,
    **kwargs: Any,
) -> None:
    line = _line(sender, instance, created=created, update_fields=update_fields)
    if line is not None:
        audit_log_record(
            action=line[0],
            entity=entity_label(sender),
            entity_id=instance.pk,
            entity_ref=entity_ref(instance),
            changes=line[1],
            using=using,
        )


def _bulk_lines(
    rows: list[models.Model], *, created: bool, update_fields: Any = None, using: str | None = None
) -> None:
    grouped: dict[tuple[type[models.Model], str], list[tuple[Any, dict[str, Any]]]] = {}
    refs: dict[type[models.Model], dict[Any, str]] = {}
    for row in rows:
        line = _line(type(row), row, created=created, update_fields=update_fields)
        if line is None:
            continue
        grouped.setdefault((type(row), line[0]), []).append((row.pk, line[1]))
        if ref_field(type(row)) is not None:
            refs.setdefault(type(row), {})[row.pk] = entity_ref(row)
    for (model, action), lines in grouped.items():
        audit_log_record_many(action=action, entity=entity_label(model), lines=lines, refs=refs.get(model), using=using)


def audit_bulk_created(rows: list[models.Model], *, using: str | None = None) -> None:
    """The "create" lines save() would have written, for rows a service inserted with bulk_create, in one insert."""
    _bulk_lines(rows, created=True, using=using)


def audit_bulk_updated(rows: list[models.Model], *, update_fields: list[str], using: str | None = None) -> None:
    """The lines save(update_fields=...) would have written (a soft delete's among them), for rows a service
    loaded, changed in memory and wrote with one `QuerySet.update()`, in one insert."""
    _bulk_lines(rows, created=False, update_fields=update_fields, using=using)


def _deleted(sender: type[models.Model], instance: models.Model, using: str | None = None, **kwargs: Any) -> None:
    spec = _models.get(sender)
    if spec is None:
        return
    changes = {name: [value, None] for name, value in field_values(instance).items() if value not in (None, "")}
    audit_log_record(
        action="delete",
        entity=entity_label(sender),
        entity_id=instance.pk,
        entity_ref=entity_ref(instance),
        changes=_masked(spec, changes),
        using=using,
    )


def _describe(rows: list[models.Model]) -> list[dict[str, Any]]:
    def name(row: models.Model) -> str:
        if isinstance(row, Permission):  # "accounts.change_user", the way has_perm() spells it
            return f"{row.content_type.app_label}.{row.codename}"
        return str(row)

    return [{"id": row.pk, "name": name(row)} for row in sorted(rows, key=lambda row: row.pk)]


def _rows(model: type[models.Model], pks: set[Any]) -> list[models.Model]:
    queryset = model._base_manager.filter(pk__in=pks)
    if model is Permission:
        queryset = queryset.select_related("content_type")
    return list(queryset)


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    using: str | None = None,
    **kwargs: Any,
) -> None:
    relation = _relations.get(sender)
    if relation is None:
        return
    if action == "pre_clear":
        # post_clear carries no pk_set: remember what is about to go.
        # reverse: group.user_set.clear(), the users about to lose the group
        manager = getattr(instance, relation.reverse_accessor if reverse else relation.field_name)
        instance.__dict__[_CLEARED] = set(manager.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set, verb = instance.__dict__.pop(_CLEARED, set()), "removed"
    elif action == "post_add":
        verb = "added"
    elif action == "post_remove":
        verb = "removed"
    else:
        return
    if not pk_set:
        return
    event = "m2m_clear" if action == "post_clear" else f"m2m_{action.removeprefix('post_')}"
    if not reverse:
        changes = {relation.field_name: {verb: _describe(_rows(relation.target, pk_set))}}
        audit_log_record(
            action=event,
            entity=entity_label(instance),
            entity_id=instance.pk,
            entity_ref=entity_ref(instance),
            changes=changes,
            using=using,
        )
        return
    # From the other side (group.user_set.add(user)): one line per affected row of the declaring model,
    # so a user's history shows each role they gained or lost.
    described = _describe([instance])
    refs = _refs_of(relation.model, pk_set)
    for pk in sorted(pk_set):
        audit_log_record(
            action=event,
            entity=entity_label(relation.model),
            entity_id=pk,
            entity_ref=refs.get(pk, ""),
            changes={relation.field_name: {verb: described}},
            using=using,
        )
