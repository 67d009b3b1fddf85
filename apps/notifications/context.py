"""Template context: the bell's unread count on every page of a signed-in person (one indexed count)."""

from __future__ import annotations

from django.http import HttpRequest

from apps.notifications.selectors import unread_count


def notification_bell(request: HttpRequest) -> dict[str, int | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": None}
    return {"unread_notifications": unread_count(user=user)}
