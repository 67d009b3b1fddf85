"""DRF permission classes and the page decorator, both asking the one resolver."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from apps.accounts.permissions import user_has_perm, user_has_perm_anywhere


def has_perm_class(perm: str, *, anywhere: bool = False) -> type[BasePermission]:
    """A DRF permission class: `perm` globally (or, with anywhere=True, at any hotel).

    Object checks go through `view.permission_scope(obj)` when the view has it,
    so a hotel-scoped right is tested against the object's hotel.
    """

    class HasPerm(BasePermission):
        message = _("You do not have permission to do this.")

        def has_permission(self, request: Request, view: Any) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            check = user_has_perm_anywhere if anywhere else user_has_perm
            return check(request.user, perm)

        def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
            scope = view.permission_scope(obj) if hasattr(view, "permission_scope") else obj
            return user_has_perm(request.user, perm, scope)

    HasPerm.__name__ = f"HasPerm[{perm}]"
    return HasPerm


def perm_required(perm: str, *, anywhere: bool = True) -> Callable:
    """Page decorator: log in first; then `perm` (at any hotel by default) or a friendly 403 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check = user_has_perm_anywhere if anywhere else user_has_perm
            if not check(request.user, perm):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
