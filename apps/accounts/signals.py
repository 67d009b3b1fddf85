"""Bookkeeping only: forget cached users and permissions when what they derive from changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.accounts import permissions
from apps.accounts.models import User
from apps.accounts.roles import sync_roles
from apps.accounts.tokens import forget_cached_user
from apps.core.middleware import LANGUAGE_SESSION_KEY
from apps.core.transactions import on_commit

_CHANGES = {"post_add", "post_remove", "post_clear"}


def _forget_user_on_commit(user_id: int) -> None:
    def forget() -> None:
        permissions.forget_user(user_id)
        forget_cached_user(user_id)

    on_commit(forget)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender: type, instance: User, **kwargs: Any) -> None:
    _forget_user_on_commit(instance.pk)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def user_roles_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    if action not in _CHANGES:
        return
    if not reverse:
        _forget_user_on_commit(instance.pk)
        return
    # group.user_set.add(...) or permission.user_set.remove(...): the users are in pk_set
    for user_id in pk_set or ():
        _forget_user_on_commit(user_id)
    if action == "post_clear":
        on_commit(permissions.forget_everyone)


@receiver(m2m_changed, sender=Group.permissions.through)
def role_permissions_changed(action: str, **kwargs: Any) -> None:
    if action in _CHANGES:
        on_commit(permissions.forget_everyone)


@receiver(post_delete, sender=Group)
def role_deleted(**kwargs: Any) -> None:
    on_commit(permissions.forget_everyone)


@receiver(post_save, sender=UserObjectPermission)
@receiver(post_delete, sender=UserObjectPermission)
def object_grant_changed(instance: UserObjectPermission, **kwargs: Any) -> None:
    _forget_user_on_commit(instance.user_id)


@receiver(post_save, sender=GroupObjectPermission)
@receiver(post_delete, sender=GroupObjectPermission)
def group_object_grant_changed(**kwargs: Any) -> None:
    on_commit(permissions.forget_everyone)


post_migrate.connect(sync_roles, dispatch_uid="hbs.sync_roles")


@receiver(user_logged_in)
def remember_profile_language(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    """The pages of a signed-in person speak their profile's language (LanguageMiddleware reads it here)."""
    session = getattr(request, "session", None)
    language = getattr(user, "preferred_language", "")
    if session is not None and language in dict(settings.LANGUAGES):
        session[LANGUAGE_SESSION_KEY] = language
