"""The page side of the error family: a service's ApplicationError shown beside the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from apps.core.errors import ApplicationError


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request (its HX-Request header), read as django-htmx's middleware reads it."""
    return bool(HtmxDetails(request))


def show_error_on_form(form: forms.Form, error: ApplicationError) -> None:
    """Field errors go under their fields (when the form has them); the rest on top."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for name, messages in error.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def submit_form(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], object]) -> tuple[bool, int]:
    """For a POST: validate `form`, then run the service `action` on its data.

    Returns (done, status): done when the service succeeded; otherwise the
    status to render the form with (400 invalid, the error's own status).
    """
    if request.method != "POST":
        return False, 200
    if not form.is_valid():
        return False, 400
    try:
        action(form.cleaned_data)
    except ApplicationError as error:
        show_error_on_form(form, error)
        return False, error.status
    return True, 200


def page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or only its `{% partialdef %}` `partial` for an htmx request."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context, status=status)


def redirect_after_form(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful form: htmx moves the whole page (HX-Redirect), a plain form follows a 302."""
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)
