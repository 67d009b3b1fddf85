from django.urls import path

from apps.accounts import apis

app_name = "accounts"
urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="register"),
    path("auth/token/", apis.TokenApi.as_view(), name="token"),
    path("auth/token/refresh/", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="logout"),
    path("auth/me/", apis.MeApi.as_view(), name="me"),
    path("auth/email/verify/", apis.VerifyEmailApi.as_view(), name="verify-email"),
    path("auth/email/resend/", apis.ResendVerificationApi.as_view(), name="resend-verification"),
    path("auth/password/change/", apis.PasswordChangeApi.as_view(), name="password-change"),
    path("auth/password/reset/", apis.PasswordResetApi.as_view(), name="password-reset"),
    path("auth/password/reset/confirm/", apis.PasswordResetConfirmApi.as_view(), name="password-reset-confirm"),
    path("roles/", apis.RoleListApi.as_view(), name="roles"),
    path("roles/<int:role_id>/", apis.RoleDetailApi.as_view(), name="role"),
    path("permissions/", apis.PermissionListApi.as_view(), name="permissions"),
    path("users/<int:user_id>/roles/", apis.UserRolesApi.as_view(), name="user-roles"),
]
