"""Every write about people, roles and grants. Pages, API, admin and commands call these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from apps.accounts.models import User, canonical_email
from apps.accounts.roles import ALL_ROLES, GLOBAL_ROLES, GUEST, HOTEL_ROLES, ROLE_LABELS, role_codename
from apps.accounts.tokens import check_token_user, tokens_for
from apps.core.changes import UNSET, Unset, given
from apps.core.emails import recipient_language, send_templated_email
from apps.core.errors import ApplicationError, Conflict, ErrorCode, NotFound, PermissionDenied, ValidationFailed
from apps.core.ratelimit import Limit, hit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VERIFY_SALT = "hbs.accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600
PROFILE_FIELDS = ("first_name", "last_name", "phone", "country", "preferred_language")


def _password_errors(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        return list(error.messages)
    return []


def _normalize_email(email: str) -> str:
    return canonical_email(email)


def _send_account_email(*, user: User, subject: StrOrPromise, template: str, context: dict[str, Any]) -> None:
    """An email about an account, in its owner's language: not the request's, nor the worker's."""
    with translation.override(recipient_language(user.preferred_language)):
        send_templated_email(to=[user.email], subject=str(subject), template=template, context=context)


def _email_taken() -> ValidationFailed:
    return ValidationFailed(
        _("An account with this email already exists."), fields={"email": [_("This email is already registered.")]}
    )


# --- Sign-up and email verification -----------------------------------------


class InvalidCredentials(ApplicationError):
    code = ErrorCode.NOT_AUTHENTICATED
    status = 401
    default_message = gettext_lazy("Email or password is incorrect.")


def check_login_limits(*, ip: str, email: str) -> None:
    """The limits every way of logging in shares (page, token endpoint, the booking form): per IP and per account."""
    hit(Limit.from_setting("login-ip"), ip)
    hit(Limit.from_setting("login-email"), canonical_email(email))


def user_authenticate(*, request: HttpRequest | None, ip: str, email: str, password: str) -> User:
    """The account these credentials open, within the login limits; InvalidCredentials (401) otherwise."""
    check_login_limits(ip=ip, email=email)
    user = authenticate(request, username=email, password=password)
    if not isinstance(user, User):
        raise InvalidCredentials
    return user


def user_register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    country: str = "",
    preferred_language: str = "",
) -> User:
    """A new guest account; the address is verified through a link sent by email."""
    email = _normalize_email(email)
    _check_password(password, email=email, first_name=first_name, last_name=last_name)
    if User.objects.filter(email=email).exists():
        raise _email_taken()
    return _create_guest(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        country=country,
        preferred_language=preferred_language,
    )


def _check_password(password: str, *, email: str, first_name: str, last_name: str) -> None:
    errors = _password_errors(password, User(email=email, first_name=first_name, last_name=last_name))
    if errors:
        raise ValidationFailed(_("Please choose a stronger password."), fields={"password": errors})


def _create_guest(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str,
    country: str,
    preferred_language: str,
) -> User:
    """The account of a checked sign-up (normalized address, a password that passed): created with the guest
    role and sent its verification link. A twin sign-up that won the race makes it an "email taken"."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                country=_country_code(country),
                preferred_language=preferred_language or settings.LANGUAGE_CODE,
            )
            user.groups.add(Group.objects.get_or_create(name=GUEST)[0])
            send_verification_email(user=user)
    except IntegrityError as error:  # two sign-ups with one email racing: the constraint decides
        raise _email_taken() from error
    return user


def user_sign_up(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    country: str = "",
    preferred_language: str = "",
) -> User | None:
    """Sign-up that does not tell whether an address has an account: a new one is created (and sent its
    verification link); for a taken address the owner is emailed instead, and the caller answers alike."""
    # The password is judged first (once), the same way for both, so a weak one cannot probe for accounts.
    email = _normalize_email(email)
    _check_password(password, email=email, first_name=first_name, last_name=last_name)
    owner = User.objects.filter(email=email).first()
    if owner is None:
        try:
            return _create_guest(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                country=country,
                preferred_language=preferred_language,
            )
        except ValidationFailed as error:
            if "email" not in (error.fields or {}):
                raise
            owner = User.objects.filter(email=email).first()  # lost a race with a twin sign-up
    if owner is not None:
        _send_account_email(
            user=owner,
            subject=gettext_lazy("Someone tried to sign up for HBS with your email"),
            template="signup_account_exists",
            context={
                "user": owner,
                "login": f"{settings.SITE_URL}/accounts/login/",
                "reset": f"{settings.SITE_URL}/accounts/password/reset/",
            },
        )
    return None


def verification_token(user: User) -> str:
    return signing.dumps({"uid": user.pk, "email": user.email}, salt=VERIFY_SALT)


def send_verification_email(*, user: User) -> None:
    link = f"{settings.SITE_URL}/accounts/verify/{verification_token(user)}/"
    _send_account_email(
        user=user,
        subject=gettext_lazy("Confirm your email for HBS"),
        template="verify_email",
        context={"user": user, "link": link},
    )


def user_verify_email(*, token: str) -> User:
    """Marks the address verified; the link works for three days and for that address only."""
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationFailed(
            _("This link has expired; ask for a new one."), fields={"token": [_("Expired.")]}
        ) from error
    except signing.BadSignature as error:
        raise ValidationFailed(_("This link is not valid."), fields={"token": [_("Invalid.")]}) from error
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload.get("uid"), email=payload.get("email")).first()
        if user is None:
            raise ValidationFailed(_("This link is not valid."), fields={"token": [_("Invalid.")]})
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at", "updated_at"])
    return user


# --- Profile and passwords ----------------------------------------------------


def _codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _country_code(country: str) -> str:
    """Two letters, kept in capitals; empty when the guest gives none."""
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationFailed(fields={"country": [_("Use a two-letter country code, e.g. FR.")]})
    return country.upper()


def user_update_profile(
    *,
    user: User,
    first_name: str | Unset = UNSET,
    last_name: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    country: str | Unset = UNSET,
    preferred_language: str | Unset = UNSET,
) -> User:
    """Updates name, phone, country and preferred language: the keywords given, nothing else."""
    if isinstance(preferred_language, str) and preferred_language not in _codes():
        raise ValidationFailed(
            fields={"preferred_language": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(_codes())}]}
        )
    changes = given(
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        country=country if isinstance(country, Unset) else _country_code(country),
        preferred_language=preferred_language,
    )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(user, name, value)
        user.save(update_fields=[*changes, "updated_at"])
    return user


def _revoke_tokens(user: User) -> None:
    """Every JWT carries the version it was issued under; raising it voids them all."""
    user.token_version = F("token_version") + 1
    user.save(update_fields=["token_version", "updated_at"])  # signals forget the cached user
    user.refresh_from_db(fields=["token_version"])


def _set_password(*, user: User, new_password: str) -> User:
    """The new password must pass the validators; every API token of the user stops working."""
    errors = _password_errors(new_password, user)
    if errors:
        raise ValidationFailed(_("Please choose a stronger password."), fields={"new_password": errors})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])  # the save revokes the tokens (signals.py)
    return user


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """Needs the current password; signs out every API token of the user."""
    if not user.check_password(old_password):
        wrong = _("Your current password is not correct.")
        raise ValidationFailed(wrong, fields={"old_password": [wrong]})
    return _set_password(user=user, new_password=new_password)


def password_reset_request(*, email: str) -> None:
    """Emails a reset link if the account exists; answers the same either way (no account probing)."""
    user = User.objects.filter(email=canonical_email(email), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    _send_account_email(
        user=user,
        subject=gettext_lazy("Reset your HBS password"),
        template="password_reset",
        context={"user": user, "link": f"{settings.SITE_URL}/accounts/reset/{uid}/{token}/"},
    )


def password_reset_user(*, uid: str, token: str) -> User:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as error:
        raise ValidationFailed(_("This reset link is not valid."), fields={"token": [_("Invalid.")]}) from error
    if not default_token_generator.check_token(user, token):
        raise ValidationFailed(
            _("This reset link is not valid or was already used."), fields={"token": [_("Invalid.")]}
        )
    return user


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Sets a new password from an emailed link; the link then stops working."""
    user = password_reset_user(uid=uid, token=token)
    return _set_password(user=user, new_password=new_password)


class InvalidRefresh(ApplicationError):
    code = ErrorCode.NOT_AUTHENTICATED
    status = 401
    default_message = gettext_lazy("This refresh token is not valid any more; please log in again.")


def refresh_token_rotate(*, raw: str) -> dict[str, str]:
    """A new token pair for a live refresh token, which is spent: of two refreshes racing with one token, exactly
    one succeeds (the blacklist row is unique per token, and the loser's insert fails)."""
    try:
        refresh = RefreshToken(raw)  # type: ignore[arg-type]  # a raw token string is what it decodes
    except TokenError as error:
        raise InvalidRefresh from error
    try:
        user = check_token_user(refresh)
    except AuthenticationFailed as error:  # deactivated, or every token revoked
        raise InvalidRefresh(str(error.detail)) from error
    try:
        with transaction.atomic():
            outstanding, _created = OutstandingToken.objects.get_or_create(
                jti=refresh[jwt_settings.JTI_CLAIM],
                defaults={"user": user, "token": raw, "expires_at": datetime_from_epoch(refresh["exp"])},
            )
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as error:
        raise InvalidRefresh from error
    return tokens_for(user)


def user_set_active(*, user: User, active: bool) -> User:
    """Deactivation keeps the row (bookings refer to it) and stops every session and token at once."""
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
        if not active:
            _revoke_tokens(user)
    return user


# --- Roles ---------------------------------------------------------------------


def _role(name: str) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:
        raise NotFound(_("There is no role named “%(name)s”.") % {"name": name})
    return group


def role_assign(*, user: User, role: str) -> User:
    """Gives a global role (guest, auditor, admin, or a custom role). Hotel roles are granted per hotel."""
    if role in HOTEL_ROLES:
        raise ValidationFailed(
            _("%(role)s is held at a hotel: grant it through the hotel's staff.") % {"role": ROLE_LABELS[role]},
            fields={"role": [_("Hotel roles are granted per hotel.")]},
        )
    group = _role(role)
    with transaction.atomic():
        user.groups.add(group)
        if role == "admin" and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff", "updated_at"])
    return user


def role_remove(*, user: User, role: str) -> User:
    group = _role(role)
    with transaction.atomic():
        user.groups.remove(group)
        if role == "admin" and user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff", "updated_at"])
    return user


def _role_name_taken(name: str) -> Conflict:
    message = _("A role named “%(name)s” already exists.") % {"name": name}
    return Conflict(message, fields={"name": [_("Already exists.")]})


def role_create(*, name: str, permissions: list[str]) -> Group:
    """A custom global role with the given `app_label.codename` permissions."""
    name = name.strip()
    if not name:
        raise ValidationFailed(fields={"name": [_("A role needs a name.")]})
    if Group.objects.filter(name__iexact=name).exists():
        raise _role_name_taken(name)
    with transaction.atomic():
        group = Group.objects.create(name=name)
        group.permissions.set(_permissions(permissions))
    return group


def role_update(*, role: Group, name: str | None = None, permissions: list[str] | None = None) -> Group:
    with transaction.atomic():
        if name is not None and name != role.name:
            if role.name in ALL_ROLES:
                raise ValidationFailed(fields={"name": [_("Built-in roles cannot be renamed.")]})
            if Group.objects.filter(name__iexact=name).exclude(pk=role.pk).exists():
                raise _role_name_taken(name)
            role.name = name
            role.save(update_fields=["name"])
        if permissions is not None:
            role.permissions.set(_permissions(permissions))
    return role


def role_delete(*, role: Group) -> None:
    if role.name in ALL_ROLES:
        raise PermissionDenied(_("Built-in roles cannot be deleted."))
    with transaction.atomic():
        role.delete()


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {name.strip() for name in names}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[n.split(".")[-1] for n in wanted]
        )
    }
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ValidationFailed(
            fields={"permissions": [_("Unknown permission: %(name)s") % {"name": name} for name in unknown]}
        )
    return [found[name] for name in wanted]


# --- Per-object (per-hotel) grants ---------------------------------------------------


def role_approves_refunds(role: str) -> bool:
    """Whether the role, as configured now, carries the refund-approval right (four eyes)."""
    return Group.objects.filter(
        name=role, permissions__content_type__app_label="refunds", permissions__codename="approve_refund"
    ).exists()


def object_role_grant(*, user: User, role: str, scope: Model) -> None:
    """Gives `user` the hotel role `role` at `scope` (a hotel), as a guardian object permission."""
    if role not in HOTEL_ROLES:
        raise ValidationFailed(
            _("Only hotel roles (%(roles)s) are granted per hotel.") % {"roles": ", ".join(HOTEL_ROLES)},
            fields={"role": [_("Not a hotel role.")]},
        )
    if not user.is_active:
        raise ValidationFailed(_("This account is deactivated."), fields={"user": [_("Deactivated.")]})
    with transaction.atomic():
        assign_perm(f"{scope._meta.app_label}.{role_codename(role)}", user, scope)


def send_role_granted_email(*, manager: User, grantee: User, role: str, hotel: Model, granted_by: User | None) -> None:
    """Tells a hotel's manager, in the manager's language, that `grantee` now holds `role` at `hotel`."""
    label = ROLE_LABELS.get(role, role)
    _send_account_email(
        user=manager,
        subject=format_lazy(
            gettext_lazy("{hotel}: {email} is now {role}"), hotel=hotel, email=grantee.email, role=label
        ),
        template="staff_role_granted",
        context={"user": manager, "hotel": hotel, "grantee": grantee, "role": label, "granted_by": granted_by},
    )


def object_role_revoke(*, user: User, role: str, scope: Model) -> None:
    if role not in HOTEL_ROLES:
        raise ValidationFailed(fields={"role": [_("Not a hotel role.")]})
    with transaction.atomic():
        remove_perm(f"{scope._meta.app_label}.{role_codename(role)}", user, scope)


def roles_in_scope(*, scope: Model) -> dict[int, list[str]]:
    """user id → hotel roles held at `scope`."""
    from guardian.models import UserObjectPermission
    from guardian.shortcuts import get_content_type

    rows = UserObjectPermission.objects.filter(
        content_type=get_content_type(scope), object_pk=str(scope.pk), permission__codename__startswith="role_"
    ).values_list("user_id", "permission__codename")
    held: dict[int, list[str]] = {}
    for user_id, codename in rows:
        role = codename.removeprefix("role_")
        if role in GLOBAL_ROLES or role not in HOTEL_ROLES:
            continue
        held.setdefault(user_id, []).append(role)
    return held
