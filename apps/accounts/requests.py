"""The signed-in user of a request, as a `User`: pages and APIs narrow `request.user` here before a service."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from apps.accounts.models import User
from apps.core.errors import ApplicationError, ErrorCode


class NotSignedIn(ApplicationError):
    code = ErrorCode.NOT_AUTHENTICATED
    status = 401
    default_message = _("Please log in first.")


def signed_in_user(request: HttpRequest | Request) -> User:
    """`request.user` when someone is signed in; 401 otherwise (a view that forgot its login check fails safe)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotSignedIn
    return user
