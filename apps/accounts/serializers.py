"""Input and output shapes of the accounts API; rules live in services.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from apps.accounts import selectors
from apps.accounts.models import User
from apps.accounts.permissions import effective_permissions
from apps.accounts.tokens import TOKEN_VERSION_CLAIM


class TokenObtainIn(TokenObtainPairSerializer):
    """simplejwt's pair, plus the token version claim that lets us revoke all of a user's tokens."""

    @classmethod
    def get_token(cls, user: User) -> Any:  # type: ignore[override]  # simplejwt's TypeVar; ours is our User
        token = super().get_token(user)
        token[TOKEN_VERSION_CLAIM] = user.token_version
        return token


class RegisterIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    preferred_language = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", help_text="Default: the request's language."
    )


class TokenIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenPairOut(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshIn(serializers.Serializer):
    refresh = serializers.CharField(max_length=2048)


class VerifyEmailIn(serializers.Serializer):
    token = serializers.CharField(max_length=512)


class PasswordChangeIn(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordResetIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmIn(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class HotelGrantOut(serializers.Serializer):
    hotel = serializers.CharField(help_text="Hotel slug.")
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())


class MeOut(serializers.ModelSerializer):
    email_verified = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    hotels = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "phone",
            "country",
            "preferred_language",
            "email_verified",
            "is_staff",
            "date_joined",
            "roles",
            "permissions",
            "hotels",
        ]
        read_only_fields = fields

    def get_email_verified(self, user: User) -> bool:
        return user.email_verified_at is not None

    def get_roles(self, user: User) -> list[str]:
        return selectors.user_roles(user=user)

    def get_permissions(self, user: User) -> list[str]:
        """Global permissions (valid at every hotel)."""
        return sorted(effective_permissions(user).global_perms)

    @extend_schema_field(HotelGrantOut(many=True))
    def get_hotels(self, user: User) -> list[dict[str, Any]]:
        return selectors.user_hotel_grants(user=user)


class MeIn(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    preferred_language = serializers.CharField(max_length=16, required=False, allow_blank=True)


class SignUpOut(serializers.Serializer):
    email = serializers.EmailField(help_text="The address, as stored.")
    detail = serializers.CharField()


class SessionOut(serializers.Serializer):
    user = MeOut()
    access = serializers.CharField()
    refresh = serializers.CharField()


class RoleOut(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text="global: joined by users; hotel: granted per hotel.")
    builtin = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "kind", "builtin", "permissions"]

    def get_kind(self, role: Group) -> str:
        return selectors.role_kind(role)

    def get_builtin(self, role: Group) -> bool:
        return selectors.role_is_builtin(role)

    def get_permissions(self, role: Group) -> list[str]:
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all())


class RoleIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    permissions = serializers.ListField(child=serializers.CharField(max_length=255), max_length=2000, default=list)


class RolePatchIn(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    permissions = serializers.ListField(child=serializers.CharField(max_length=255), max_length=2000, required=False)


class PermissionOut(serializers.ModelSerializer):
    codename = serializers.SerializerMethodField(help_text="app_label.codename")

    class Meta:
        model = Permission
        fields = ["id", "codename", "name"]

    def get_codename(self, permission: Permission) -> str:
        return f"{permission.content_type.app_label}.{permission.codename}"


class UserRoleIn(serializers.Serializer):
    role = serializers.CharField(max_length=150)


class UserRolesOut(serializers.Serializer):
    user = serializers.IntegerField()
    roles = serializers.ListField(child=serializers.CharField())
