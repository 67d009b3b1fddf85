"""Email login, and every `user.has_perm(...)` answered by the one cached resolver."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Model

from apps.accounts.permissions import effective_permissions


class EmailBackend(ModelBackend):
    """ModelBackend's login (the manager matches email case-insensitively) with our permissions."""

    def get_all_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        permissions = effective_permissions(user_obj)
        if obj is None:
            return set(permissions.global_perms)
        label = obj._meta.label_lower
        return set(permissions.global_perms) | set(permissions.object_perms.get(label, {}).get(str(obj.pk), ()))

    def get_user_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj: Any, perm: str, obj: Model | None = None) -> bool:
        return effective_permissions(user_obj).has(perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        permissions = effective_permissions(user_obj)
        return permissions.is_active and (
            permissions.is_superuser or any(p.startswith(f"{app_label}.") for p in permissions.global_perms)
        )
