"""Reads about people and roles, scoped and shaped for pages and the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.accounts.models import User, canonical_email
from apps.accounts.permissions import effective_permissions
from apps.accounts.ports import hotel_slugs
from apps.accounts.roles import ALL_ROLES, HOTEL_ROLES, role_codename

HOTEL_LABEL = "hotels.hotel"


def user_roles(*, user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def user_hotel_grants(*, user: User) -> list[dict[str, Any]]:
    """The hotels where `user` holds staff rights: slug, roles and the permissions held there."""
    permissions = effective_permissions(user)
    by_pk = permissions.object_perms.get(HOTEL_LABEL, {})
    if not by_pk:
        return []
    slugs = hotel_slugs.call(hotel_ids=[int(pk) for pk in by_pk])
    roles = permissions.object_roles.get(HOTEL_LABEL, {})
    return [
        {
            "hotel": slugs[int(pk)],
            "roles": sorted(roles.get(pk, ())),
            "permissions": sorted(p for p in perms if not p.split(".", 1)[1].startswith("role_")),
        }
        for pk, perms in sorted(by_pk.items(), key=lambda item: slugs.get(int(item[0]), ""))
        if int(pk) in slugs
    ]


def role_list() -> QuerySet[Group]:
    return Group.objects.order_by("name").prefetch_related("permissions__content_type")


def role_kind(role: Group) -> str:
    return "hotel" if role.name in HOTEL_ROLES else "global"


def role_is_builtin(role: Group) -> bool:
    return role.name in ALL_ROLES


def permission_list() -> QuerySet[Permission]:
    return Permission.objects.select_related("content_type").order_by("content_type__app_label", "codename")


def users_with_perm_at(*, perm: str, obj: Any) -> QuerySet[User]:
    """Active users who hold `perm` at `obj` (a hotel) through a grant there: a hotel role whose
    permissions include it, or the permission itself granted on the object, to them or a group of theirs.

    Global holders (superusers, auditors, admins) are not the object's staff and are left out: this
    answers "whom do we tell at this hotel", not "who could act here". Two queries, whatever the number
    of users: the roles that carry `perm`, then the users.
    """
    app_label, codename = perm.split(".", 1)
    roles = Group.objects.filter(
        name__in=HOTEL_ROLES, permissions__content_type__app_label=app_label, permissions__codename=codename
    ).values_list("name", flat=True)
    codenames = [codename, *(role_codename(role) for role in roles)]
    content_type = ContentType.objects.get_for_model(type(obj))  # cached by Django after the first call
    grant = {"content_type": content_type, "object_pk": str(obj.pk), "permission__codename__in": codenames}
    return User.objects.filter(is_active=True).filter(
        Exists(UserObjectPermission.objects.filter(user=OuterRef("pk"), **grant))
        | Exists(GroupObjectPermission.objects.filter(group__user=OuterRef("pk"), **grant))
    )


def user_with_email(*, email: str) -> User | None:
    """The account that uses this address (any case), if one does."""
    return User.objects.filter(email=canonical_email(email)).first()
