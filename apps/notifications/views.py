"""The notifications page (unread first, mark one or all read) and the email preferences, over the services."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.notifications import selectors, services
from apps.notifications.forms import PreferencesForm

PAGE_SIZE = 30


def _person(request: HttpRequest) -> User:
    """The signed-in person (every view here is login_required)."""
    return cast(User, request.user)


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.notification_list_for_user(user=_person(request))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": page.object_list, "unread": selectors.unread_count(user=_person(request))},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=_person(request), notification_id=notification_id)
    notification = services.notification_mark_read(notification=notification)
    if not getattr(request, "htmx", False):
        return redirect("notifications:list")
    # The row in place, and the bell's count out of band.
    context = {"notification": notification, "unread": selectors.unread_count(user=_person(request)), "oob": True}
    return render(request, "notifications/list.html#row", context)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notification_mark_all_read(user=_person(request))
    messages.success(
        request,
        ngettext("%(count)s notification marked read.", "%(count)s notifications marked read.", marked)
        % {"count": marked},
    )
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    rows = selectors.preferences_for_user(user=_person(request))
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(user=_person(request), email_by_kind=form.email_by_kind())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your email preferences are saved."))
            return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form, "rows": rows}, status=status)
