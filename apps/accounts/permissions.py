"""The one place that answers "may user U do P on object O (or anywhere)?".

A user's effective permissions — global ones (own + global roles) and
per-object ones (guardian rows, hotel roles expanded to their group's
permissions) — are computed in a handful of queries and cached in Redis under
a key that carries two versions:

- a global generation, bumped when any role's permission set changes;
- the user's own version, bumped when their roles, grants or flags change.

A bump happens after commit, so a revoked grant is refused on the very next
request; a reader racing the bump can only ever write under the old key.
When Redis is down every lookup falls back to the database, and an
invalidation that cannot reach Redis raises the auth cache epoch in
PostgreSQL (epoch.py), so what was cached before is not believed when Redis
returns.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Model, QuerySet

from apps.accounts.epoch import EPOCH_KEY, current_epoch, raise_epoch, reached_redis
from apps.accounts.roles import role_of_codename

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger("hbs.permissions")

CACHE_TTL = 15 * 60
_GENERATION_KEY = "perm:generation"


def _user_version_key(user_id: int) -> str:
    return f"perm:user-version:{user_id}"


@dataclass(frozen=True)
class EffectivePermissions:
    is_active: bool = False
    is_superuser: bool = False
    global_perms: frozenset[str] = frozenset()
    # model label ("hotels.hotel") → object pk as str → permissions there
    object_perms: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    # model label → object pk → hotel roles held there
    object_roles: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def has(self, perm: str, obj: Model | None = None) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser or perm in self.global_perms:
            return True
        if obj is None:
            return False
        return perm in self.object_perms.get(obj._meta.label_lower, {}).get(str(obj.pk), frozenset())

    def has_anywhere(self, perm: str) -> bool:
        if self.has(perm):
            return True
        return self.is_active and any(
            perm in perms for objects in self.object_perms.values() for perms in objects.values()
        )

    def object_ids_with(self, perm: str, model_label: str) -> set[str]:
        return {pk for pk, perms in self.object_perms.get(model_label, {}).items() if perm in perms}


NO_PERMISSIONS = EffectivePermissions()


def _compute(user: User) -> EffectivePermissions:
    from django.contrib.auth.models import Permission
    from guardian.models import GroupObjectPermission, UserObjectPermission

    if not user.is_active:
        return NO_PERMISSIONS
    own = Permission.objects.filter(user=user).values_list("content_type__app_label", "codename")
    via_roles = Permission.objects.filter(group__user=user).values_list("content_type__app_label", "codename")
    global_perms = frozenset(f"{app}.{codename}" for app, codename in [*own, *via_roles])

    grants: list[tuple[str, str, str, str]] = list(
        UserObjectPermission.objects.filter(user=user).values_list(
            "content_type__app_label", "content_type__model", "object_pk", "permission__codename"
        )
    ) + list(
        GroupObjectPermission.objects.filter(group__user=user).values_list(
            "content_type__app_label", "content_type__model", "object_pk", "permission__codename"
        )
    )
    roles_held = {role for *_, codename in grants if (role := role_of_codename(codename))}
    role_perms: dict[str, set[str]] = {role: set() for role in roles_held}
    if roles_held:
        rows = Permission.objects.filter(group__name__in=roles_held).values_list(
            "group__name", "content_type__app_label", "codename"
        )
        for role, app, codename in rows:
            role_perms[role].add(f"{app}.{codename}")

    object_perms: dict[str, dict[str, set[str]]] = {}
    object_roles: dict[str, dict[str, set[str]]] = {}
    for app, model, pk, codename in grants:
        label = f"{app}.{model}"
        perms = object_perms.setdefault(label, {}).setdefault(str(pk), set())
        role = role_of_codename(codename)
        if role:
            perms |= role_perms[role]
            object_roles.setdefault(label, {}).setdefault(str(pk), set()).add(role)
        perms.add(f"{app}.{codename}")
    return EffectivePermissions(
        is_active=True,
        is_superuser=user.is_superuser,
        global_perms=global_perms,
        object_perms={label: {pk: frozenset(p) for pk, p in objs.items()} for label, objs in object_perms.items()},
        object_roles={label: {pk: frozenset(r) for pk, r in objs.items()} for label, objs in object_roles.items()},
    )


def _cache_key(user_id: int) -> str | None:
    versions = cache.get_many([EPOCH_KEY, _GENERATION_KEY, _user_version_key(user_id)])
    epoch = current_epoch(versions.get(EPOCH_KEY))
    generation = versions.get(_GENERATION_KEY) or "0"
    user_version = versions.get(_user_version_key(user_id)) or "0"
    return f"perm:{epoch}:{generation}:{user_id}:{user_version}"


def effective_permissions(user: Any) -> EffectivePermissions:
    """The user's permissions, from Redis when warm, else from PostgreSQL (then cached)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_PERMISSIONS
    memo = getattr(user, "_hbs_permissions", None)
    if memo is not None:
        return memo
    key = _cache_key(user.pk)
    found = cache.get(key) if key else None
    if found is None:
        found = _compute(user)
        if key:
            cache.set(key, found, CACHE_TTL)
    user._hbs_permissions = found  # one resolution per request object
    return found


def user_has_perm(user: Any, perm: str, obj: Model | None = None) -> bool:
    """May `user` do `perm` on `obj` (None: globally)?"""
    return effective_permissions(user).has(perm, obj)


def user_has_perm_anywhere(user: Any, perm: str) -> bool:
    """Globally, or at any object (any hotel) at all."""
    return effective_permissions(user).has_anywhere(perm)


def scope_queryset(user: Any, perm: str, queryset: QuerySet, *, scope_model: type[Model], path: str) -> QuerySet:
    """Rows of `queryset` whose scope object (reached by `path`, e.g. "hotel") grants `perm`.

    Global holders see everything; others see only their granted objects' rows.
    """
    permissions = effective_permissions(user)
    if permissions.has(perm):
        return queryset
    ids = permissions.object_ids_with(perm, scope_model._meta.label_lower) if permissions.is_active else set()
    return queryset.filter(**{f"{path}__in": list(ids)})


# --- Invalidation (called on commit by the signal handlers) -----------------


def _set_or_raise_epoch(key: str, value: str) -> None:
    # django-redis answers True for a write it made, None for one it could not (Django's stubs say None always).
    if not reached_redis(cache.set(key, value, None)):  # type: ignore[func-returns-value]
        raise_epoch()


def forget_user(user_id: int) -> None:
    _set_or_raise_epoch(_user_version_key(user_id), uuid.uuid4().hex[:12])


def forget_everyone() -> None:
    _set_or_raise_epoch(_GENERATION_KEY, uuid.uuid4().hex[:12])
