"""auth/*, roles/, permissions/ and users/{id}/roles/ of the API contract."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out
from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts import selectors, services
from apps.accounts.api_permissions import has_perm_class
from apps.accounts.models import User, canonical_email
from apps.accounts.requests import signed_in_user
from apps.accounts.serializers import (
    MeIn,
    MeOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    PermissionOut,
    RefreshIn,
    RegisterIn,
    RoleIn,
    RoleOut,
    RolePatchIn,
    SignUpOut,
    TokenIn,
    TokenPairOut,
    UserRoleIn,
    UserRolesOut,
    VerifyEmailIn,
)
from apps.accounts.services import InvalidRefresh
from apps.accounts.tasks import send_password_reset
from apps.accounts.tokens import tokens_for
from apps.core.middleware import client_ip
from apps.core.parsing import parse_input
from apps.core.ratelimit import Limit, hit


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class RegisterApi(PublicApi):
    @extend_schema(
        tags=["auth"],
        request=RegisterIn,
        responses={202: SignUpOut},
        summary="Sign up as a guest (answers alike whether or not the address has an account; then log in)",
    )
    def post(self, request: Request) -> Response:
        hit(Limit.from_setting("signup-ip"), client_ip(request))
        data = parse_input(RegisterIn, request.data)
        data["preferred_language"] = data["preferred_language"] or translation.get_language()
        services.user_sign_up(**data)
        email = canonical_email(data["email"])
        detail = _("We sent an email to %(email)s. Open its link to confirm the address, then log in.") % {
            "email": email
        }
        return Response({"email": email, "detail": detail}, status=status.HTTP_202_ACCEPTED)


class TokenApi(PublicApi):
    @extend_schema(tags=["auth"], request=TokenIn, responses={200: TokenPairOut}, summary="Log in: email + password")
    def post(self, request: Request) -> Response:
        credentials = parse_input(TokenIn, request.data)
        user = services.user_authenticate(
            request=request._request,
            ip=client_ip(request),
            email=credentials["email"],
            password=credentials["password"],
        )
        user_logged_in.send(sender=User, request=request._request, user=user)
        return Response(tokens_for(user))


class TokenRefreshApi(PublicApi):
    @extend_schema(tags=["auth"], request=RefreshIn, responses={200: TokenPairOut}, summary="Rotate a refresh token")
    def post(self, request: Request) -> Response:
        return Response(services.refresh_token_rotate(raw=parse_input(RefreshIn, request.data)["refresh"]))


class LogoutApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=RefreshIn, responses={204: None}, summary="Log out: revoke a refresh token")
    def post(self, request: Request) -> Response:
        raw = parse_input(RefreshIn, request.data)["refresh"]
        try:
            refresh = RefreshToken(raw)
        except TokenError as error:
            raise InvalidRefresh from error
        if str(refresh.get("user_id")) != str(request.user.pk):
            raise InvalidRefresh
        refresh.blacklist()
        user_logged_out.send(sender=User, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], responses={200: MeOut}, summary="The current user, roles and hotel rights")
    def get(self, request: Request) -> Response:
        return Response(MeOut(request.user).data)

    @extend_schema(tags=["auth"], request=MeIn, responses={200: MeOut}, summary="Update the profile")
    def patch(self, request: Request) -> Response:
        changes = parse_input(MeIn, request.data, partial=True)
        user = services.user_update_profile(user=signed_in_user(request), **changes)
        return Response(MeOut(user).data)


class VerifyEmailApi(PublicApi):
    @extend_schema(tags=["auth"], request=VerifyEmailIn, responses={200: MeOut}, summary="Confirm an email address")
    def post(self, request: Request) -> Response:
        user = services.user_verify_email(token=parse_input(VerifyEmailIn, request.data)["token"])
        return Response(MeOut(user).data)


class ResendVerificationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], request=None, responses={202: None}, summary="Send the verification email again")
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        hit(Limit.from_setting("reset-email"), user.email)
        if user.email_verified_at is None:
            services.send_verification_email(user=user)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordChangeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        request=PasswordChangeIn,
        responses={200: TokenPairOut},
        summary="Change password (other tokens stop working; new ones are returned)",
    )
    def post(self, request: Request) -> Response:
        passwords = parse_input(PasswordChangeIn, request.data)
        user = services.user_change_password(user=signed_in_user(request), **passwords)
        return Response(tokens_for(user))


class PasswordResetApi(PublicApi):
    @extend_schema(
        tags=["auth"],
        request=PasswordResetIn,
        responses={202: None},
        summary="Email a reset link (answers the same whether or not the account exists)",
    )
    def post(self, request: Request) -> Response:
        email = parse_input(PasswordResetIn, request.data)["email"]
        hit(Limit.from_setting("reset-email"), canonical_email(email))
        send_password_reset.enqueue(email=email)  # the lookup happens on the worker: the same time either way
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(PublicApi):
    @extend_schema(
        tags=["auth"],
        request=PasswordResetConfirmIn,
        responses={200: TokenPairOut},
        summary="Set a new password from the emailed link",
    )
    def post(self, request: Request) -> Response:
        user = services.password_reset_confirm(**parse_input(PasswordResetConfirmIn, request.data))
        return Response(tokens_for(user))


# --- RBAC --------------------------------------------------------------------


class RoleListApi(APIView):
    def get_permissions(self) -> list:
        return [has_perm_class("auth.add_group" if self.request.method == "POST" else "auth.view_group")()]

    @extend_schema(tags=["rbac"], responses={200: RoleOut(many=True)}, summary="Roles and their permissions")
    def get(self, request: Request) -> Response:
        return Response(RoleOut(selectors.role_list(), many=True).data)

    @extend_schema(tags=["rbac"], request=RoleIn, responses={201: RoleOut}, summary="Create a custom role")
    def post(self, request: Request) -> Response:
        role = services.role_create(**parse_input(RoleIn, request.data))
        return Response(RoleOut(role).data, status=status.HTTP_201_CREATED)


class RoleDetailApi(APIView):
    def get_permissions(self) -> list:
        needed = {"GET": "auth.view_group", "PATCH": "auth.change_group", "DELETE": "auth.delete_group"}
        return [has_perm_class(needed.get(self.request.method or "", "auth.change_group"))()]

    def _role(self, role_id: int) -> Group:
        return get_object_or_404(selectors.role_list(), pk=role_id)

    @extend_schema(tags=["rbac"], responses={200: RoleOut}, summary="One role")
    def get(self, request: Request, role_id: int) -> Response:
        return Response(RoleOut(self._role(role_id)).data)

    @extend_schema(
        tags=["rbac"], request=RolePatchIn, responses={200: RoleOut}, summary="Rename a role or set its permissions"
    )
    def patch(self, request: Request, role_id: int) -> Response:
        role = services.role_update(role=self._role(role_id), **parse_input(RolePatchIn, request.data))
        return Response(RoleOut(selectors.role_list().get(pk=role.pk)).data)

    @extend_schema(tags=["rbac"], responses={204: None}, summary="Delete a custom role")
    def delete(self, request: Request, role_id: int) -> Response:
        services.role_delete(role=self._role(role_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PermissionListApi(ListAPIView):
    permission_classes = [has_perm_class("auth.view_permission")]
    serializer_class = PermissionOut
    pagination_class = None

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.permission_list()

    @extend_schema(tags=["rbac"], summary="Every permission a role can hold")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UserRolesApi(APIView):
    def get_permissions(self) -> list:
        return [has_perm_class("accounts.view_user" if self.request.method == "GET" else "accounts.assign_role_user")()]

    def _user(self, user_id: int) -> User:
        return get_object_or_404(User, pk=user_id)

    def _answer(self, user: User) -> Response:
        return Response({"user": user.pk, "roles": selectors.user_roles(user=user)})

    @extend_schema(tags=["rbac"], responses={200: UserRolesOut}, summary="A user's global roles")
    def get(self, request: Request, user_id: int) -> Response:
        return self._answer(self._user(user_id))

    @extend_schema(tags=["rbac"], request=UserRoleIn, responses={200: UserRolesOut}, summary="Give a global role")
    def post(self, request: Request, user_id: int) -> Response:
        user = services.role_assign(user=self._user(user_id), role=parse_input(UserRoleIn, request.data)["role"])
        return self._answer(user)

    @extend_schema(
        tags=["rbac"],
        request=UserRoleIn,
        responses={200: UserRolesOut},
        parameters=[OpenApiParameter("role", str, description="The role to remove (or send it in the body).")],
        summary="Take a global role away",
    )
    def delete(self, request: Request, user_id: int) -> Response:
        source = request.data if request.data else request.query_params
        serializer = UserRoleIn(data=source)
        serializer.is_valid(raise_exception=True)
        user = services.role_remove(user=self._user(user_id), role=serializer.validated_data["role"])
        return self._answer(user)
