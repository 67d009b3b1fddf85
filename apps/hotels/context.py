"""Template context: whether to show the back-office link (decided here, never in a template)."""

from __future__ import annotations

from django.http import HttpRequest

from apps.accounts.permissions import user_has_perm_anywhere


def staff_nav(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_back_office": False}
    return {
        "shows_back_office": user_has_perm_anywhere(user, "hotels.view_hotel"),
        # The staff pages of the apps above (by permission name: this app imports none of them).
        "shows_ticket_queue": user_has_perm_anywhere(user, "support.view_ticket"),
        "shows_staff_reviews": user_has_perm_anywhere(user, "reviews.respond_review")
        or user_has_perm_anywhere(user, "reviews.moderate_review"),
    }
