"""Notifications: one row per person and event, read on the pages, the API and the websocket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import SoftDeleteModel, TimeStampedModel


class Notification(SoftDeleteModel):
    """Something that happened that `user` should hear of. Written in the event's own transaction."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64, help_text="A code from the kinds registry (apps.notifications.kinds).")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    link = models.CharField(max_length=500, blank=True, default="", help_text="A path on this site.")
    hotel = models.ForeignKey("hotels.Hotel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The ids the kind's email needs (booking, payment, refund): never a copy of their data.
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False, help_text="An email was queued for it.")

    class Meta:
        indexes = [
            models.Index(
                fields=["user", "-created_at"], condition=Q(is_deleted=False), name="notifications_user_newest"
            ),
            # The bell's count: unread rows of one user.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True, is_deleted=False), name="notifications_unread"
            ),
            # Retention finds read rows by age.
            models.Index(fields=["read_at"], condition=Q(read_at__isnull=False), name="notifications_read_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}: {self.title}"


class NotificationPreference(TimeStampedModel):
    """A person's choice for one kind; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_user_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind} email={'on' if self.email else 'off'}"
