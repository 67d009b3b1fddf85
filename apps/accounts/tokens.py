"""JWT for the API: each token carries the user's token version; a bump revokes them all.

The user behind a token is read from Redis (a pickled row, dropped whenever the
user is saved, and tagged with the auth cache epoch of epoch.py), so checking
`is_active` and the version on every request costs no query when warm, and a
deactivated user's token stops working at once.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.tokens import RefreshToken, Token

from apps.accounts.epoch import EPOCH_KEY, current_epoch, raise_epoch, reached_redis
from apps.accounts.models import User

TOKEN_VERSION_CLAIM = "tv"  # noqa: S105 (a claim name, not a secret)
USER_CACHE_TTL = 10 * 60


def _user_key(user_id: int | str) -> str:
    return f"auth:user:{user_id}"


def forget_cached_user(user_id: int | str) -> None:
    if not reached_redis(cache.delete(_user_key(user_id))):
        raise_epoch()  # voids every cached row, this one included, for when Redis returns


def cached_user(user_id: int | str) -> User | None:
    """The user row, from Redis when cached under the current epoch (one round trip), else from PostgreSQL."""
    found = cache.get_many([EPOCH_KEY, _user_key(user_id)])
    epoch = current_epoch(found.get(EPOCH_KEY))
    entry = found.get(_user_key(user_id))
    if isinstance(entry, tuple) and entry[0] == epoch:
        return entry[1]
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        cache.set(_user_key(user_id), (epoch, user), USER_CACHE_TTL)
    return user


def tokens_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    refresh[TOKEN_VERSION_CLAIM] = user.token_version
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


def check_token_user(token: Token | dict[str, Any]) -> User:
    """The live user a token speaks for, or AuthenticationFailed."""
    user_id = token.get("user_id")
    user = cached_user(user_id) if user_id is not None else None
    if user is None:
        raise AuthenticationFailed(str(_("This account no longer exists.")), code="user_not_found")
    if not user.is_active:
        raise AuthenticationFailed(str(_("This account is deactivated.")), code="user_inactive")
    if token.get(TOKEN_VERSION_CLAIM) != user.token_version:
        raise AuthenticationFailed(str(_("This token was revoked; please log in again.")), code="token_revoked")
    return user


class VersionedJWTAuthentication(JWTAuthentication):
    # simplejwt types the answer as a TypeVar of its own; ours is always our User.
    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        if "user_id" not in validated_token:
            raise InvalidToken(str(_("Token contained no recognizable user identification")))
        return check_token_user(validated_token)
