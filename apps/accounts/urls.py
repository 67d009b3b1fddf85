from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("verify-again/", views.resend_verification, name="resend-verification"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_switch, name="language"),
    path("password/change/", views.password_change, name="password-change"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("reset/<str:uid>/<str:token>/", views.password_reset_confirm, name="password-reset-confirm"),
]
