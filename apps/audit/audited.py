"""What HBS audits from the start: people, roles, grants, and sign-ins. Domain apps register their own models."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group
from django.http import HttpRequest
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from apps.accounts.models import canonical_email
from apps.audit import registry
from apps.audit.services import audit_log_record, entity_label

# Never recorded from a failed login's credentials, whatever the backend passes.
_IDENTIFIERS = ("email", "username")


def register_defaults() -> None:
    user_model = get_user_model()
    # last_login changes on every sign-in, which has its own `login` line.
    registry.register(user_model, exclude=("last_login",), mask=("password",), ref="email")
    registry.register(Group, ref="name")
    registry.register_m2m(user_model, "groups")
    registry.register_m2m(user_model, "user_permissions")
    registry.register_m2m(Group, "permissions")
    # Per-hotel staff rights are guardian rows: each grant and revocation is a create or delete line.
    registry.register(get_user_obj_perms_model())
    registry.register(get_group_obj_perms_model())

    user_logged_in.connect(_logged_in, dispatch_uid="audit:login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit:logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit:login_failed")


def _user_actor(user: Any) -> dict[str, Any]:
    return {"type": "user", "id": user.pk, "email": getattr(user, "email", "")}


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_log_record(
        action="login",
        entity=entity_label(user),
        entity_id=user.pk,
        entity_ref=registry.entity_ref(user),
        actor=_user_actor(user),
    )


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # logging out a session that had no user
        return
    audit_log_record(
        action="logout",
        entity=entity_label(user),
        entity_id=user.pk,
        entity_ref=registry.entity_ref(user),
        actor=_user_actor(user),
    )


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Only the identifier tried: never the password, not even Django's cleansed placeholder.
    tried = next((str(credentials[key])[:254] for key in _IDENTIFIERS if credentials.get(key)), "")
    user_model = get_user_model()
    known, known_email = None, ""
    if tried:
        found = user_model._default_manager.filter(email=canonical_email(tried)).values_list("pk", "email").first()
        if found is not None:
            known, known_email = found
    audit_log_record(
        action="login_failed",
        entity=entity_label(user_model),
        entity_id=known,
        entity_ref=known_email,  # the account's own email, only when the identifier named one
        actor={"type": "anonymous", "id": None, "email": ""},
        details={"identifier": tried},
    )
