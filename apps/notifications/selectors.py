"""Reads of notifications: always the caller's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm_anywhere
from apps.core.errors import NotFound
from apps.notifications.kinds import Audience, NotificationKind, all_kinds
from apps.notifications.models import Notification, NotificationPreference


def notification_list_for_user(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, unread first, then newest first."""
    rows = Notification.objects.filter(user=user)
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    return rows.order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk")


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is 404."""
    found = Notification.objects.filter(user=user, pk=notification_id).first()
    if found is None:
        raise NotFound(_("There is no such notification."))
    return found


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_item(notification: Notification) -> dict[str, Any]:
    """The notification as the API lists it and the websocket pushes it (NotificationOut)."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "read_at": notification.read_at.isoformat().replace("+00:00", "Z") if notification.read_at else None,
        "created_at": notification.created_at.isoformat().replace("+00:00", "Z"),
    }


@dataclass(frozen=True)
class PreferenceRow:
    kind: NotificationKind
    email: bool

    @property
    def locked(self) -> bool:
        return self.kind.always_email


def kinds_for_user(*, user: User) -> list[NotificationKind]:
    """The kinds this person can receive: every guest kind, and the staff kinds of the rights they hold."""
    return [kind for kind in all_kinds() if kind.audience == Audience.GUEST or user_has_perm_anywhere(user, kind.perm)]


def preferences_for_user(*, user: User) -> list[PreferenceRow]:
    """Email on or off for each kind the user can receive (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [
        PreferenceRow(kind=kind, email=True if kind.always_email else chosen.get(kind.code, kind.email_by_default))
        for kind in kinds_for_user(user=user)
    ]


def wants_email(*, user_ids: list[int], kind: NotificationKind) -> set[int]:
    """Which of these users are to be emailed for `kind` (one query)."""
    if kind.always_email:
        return set(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind.code).values_list("user_id", "email")
    )
    return {user_id for user_id in user_ids if chosen.get(user_id, kind.email_by_default)}
