"""Template context: the bell's unread count on every page of a signed-in person (one indexed count).

The count is read only when a template shows it: an htmx partial, which never
renders the nav, costs no query.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.notifications.selectors import unread_count


def notification_bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": None}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
