"""Account pages: sign up, verify, log in/out, profile, password change and reset.

Forms post through htmx when it is there (errors re-render the form partial in
place, success redirects the whole page) and work as plain forms without it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts import services
from apps.accounts.forms import (
    EmailLoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
    SignUpForm,
)
from apps.accounts.models import User, canonical_email
from apps.accounts.requests import signed_in_user
from apps.accounts.tasks import send_password_reset
from apps.core.errors import ApplicationError, Throttled
from apps.core.forms import is_htmx, page_or_partial, redirect_after_form, submit_form
from apps.core.middleware import LANGUAGE_SESSION_KEY, client_ip
from apps.core.ratelimit import Limit, hit


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)

    def register(data: dict[str, Any]) -> None:
        hit(Limit.from_setting("signup-ip"), client_ip(request))
        data.setdefault("preferred_language", translation.get_language() or settings.LANGUAGE_CODE)
        services.user_sign_up(**data)

    done, status = submit_form(request, form, register)
    if done:
        # The same answer whether or not the address had an account: the owner learns the rest by email.
        email = canonical_email(form.cleaned_data["email"])
        messages.success(
            request,
            _("We sent an email to %(email)s. Open its link to confirm the address, then log in.") % {"email": email},
        )
        target = reverse("accounts:login")
        following = url_has_allowed_host_and_scheme_or_home(request)
        if following != reverse("home"):
            target += "?" + urlencode({"next": following})
        return redirect_after_form(request, target)
    return page_or_partial(request, "accounts/signup.html", "form", {"form": form}, status)


@require_http_methods(["POST"])
def language_switch(request: HttpRequest) -> HttpResponse:
    """The switcher: the language is kept in a cookie, and in the profile of a signed-in guest."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not (target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())):
        target = reverse("home")
    response = redirect(target)
    if language not in {code for code, _name in settings.LANGUAGES}:
        return response
    if isinstance(request.user, User):
        services.user_update_profile(user=request.user, preferred_language=language)
        request.session[LANGUAGE_SESSION_KEY] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def url_has_allowed_host_and_scheme_or_home(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


class LoginView(auth_views.LoginView):
    """Django's login with our email form and the shared per-IP / per-email limits."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.check_login_limits(ip=client_ip(request), email=request.POST.get("username", ""))
        except Throttled as error:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def get_template_names(self) -> list[str]:
        return [f"{self.template_name}#form" if is_htmx(self.request) else self.template_name]

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        return redirect_after_form(self.request, response["Location"])

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's login behind the site's login limits (per IP and per account), with the same 429."""
    if request.method == "POST":
        try:
            services.check_login_limits(ip=client_ip(request), email=request.POST.get("username", ""))
        except Throttled as error:
            # Unbound: binding would clean the form, and cleaning it checks the password.
            form = AdminAuthenticationForm(request, initial={"username": request.POST.get("username", "")})
            form.cleaned_data = {}
            form.add_error(None, error.message)
            context = {
                **admin.site.each_context(request),
                "title": _("Log in"),
                "site_header": admin.site.site_header,
                "form": form,
                "username": request.POST.get("username", ""),
                REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, ""),
            }
            response = render(request, "admin/login.html", context, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
    return admin.site.login(request)


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_verify_email(token=token)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you, %(email)s is confirmed.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "home")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm(request.POST or None, initial={name: getattr(user, name) for name in ProfileForm.base_fields})
    done, status = submit_form(request, form, lambda data: services.user_update_profile(user=user, **data))
    if done:
        request.session[LANGUAGE_SESSION_KEY] = user.preferred_language
        messages.success(request, _("Your profile is saved."))
        return redirect_after_form(request, reverse("accounts:profile"))
    return page_or_partial(request, "accounts/profile.html", "form", {"form": form}, status)


@login_required
@require_http_methods(["POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        hit(Limit.from_setting("reset-email"), user.email)
    except Throttled as error:
        messages.error(request, error.message)
    else:
        if user.email_verified_at is None:
            services.send_verification_email(user=user)
        messages.success(request, _("We sent a new confirmation link to %(email)s.") % {"email": user.email})
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordChangeForm(request.POST or None)
    done, status = submit_form(request, form, lambda data: services.user_change_password(user=user, **data))
    if done:
        update_session_auth_hash(request, user)  # this browser stays logged in
        messages.success(request, _("Your password is changed. Other devices must log in again."))
        return redirect_after_form(request, reverse("accounts:profile"))
    return page_or_partial(request, "accounts/password_change.html", "form", {"form": form}, status)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)

    def send_link(data: dict[str, Any]) -> None:
        hit(Limit.from_setting("reset-email"), canonical_email(data["email"]))
        send_password_reset.enqueue(email=data["email"])  # looked up on the worker: the same time either way

    done, status = submit_form(request, form, send_link)
    if done:
        messages.success(request, _("If an account uses that address, a reset link is on its way."))
        return redirect_after_form(request, reverse("accounts:login"))
    return page_or_partial(request, "accounts/password_reset.html", "form", {"form": form}, status)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        services.password_reset_user(uid=uid, token=token)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("accounts:password-reset")
    form = SetPasswordForm(request.POST or None)
    done, status = submit_form(
        request, form, lambda data: services.password_reset_confirm(uid=uid, token=token, **data)
    )
    if done:
        messages.success(request, _("Your new password is set. Please log in."))
        return redirect_after_form(request, reverse("accounts:login"))
    return page_or_partial(request, "accounts/password_reset_confirm.html", "form", {"form": form}, status)
