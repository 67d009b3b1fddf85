"""People: guests, hotel staff and admins are all users, told apart by roles and grants."""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def canonical_email(email: str) -> str:
    """The one form an address is stored, looked up and rate-limited under: NFKC, then casefolded, so look-alikes
    such as `gue\u017ft@…` (a long s, U+017F) or full-width letters are the same account as `guest@…`."""
    return unicodedata.normalize("NFKC", (email or "").strip()).casefold()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=canonical_email(username or ""))

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Logs in with an email address, stored in its canonical form (canonical_email), unique."""

    email = models.EmailField(max_length=254)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. FR.")
    preferred_language = models.CharField(max_length=16, blank=True, default="en")
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")
    is_active = models.BooleanField(default=True, help_text="Unset to deactivate instead of deleting.")
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Raised to revoke every token the user holds (deactivation, password change).
    token_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        permissions = [("assign_role_user", "Can give and take global roles")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = canonical_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whoever writes the row (a service, the admin, a fixture), the address is stored in its one form.
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email
