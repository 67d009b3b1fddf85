"""Notifications in the admin: looked at, soft-deleted and restored; written only by the notify service."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from apps.audit.admin import AuditedEntityAdmin, ReadOnlyAuditedAdmin
from apps.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(AuditedEntityAdmin):
    list_display = ["created_at", "user", "kind", "title", "hotel", "read_at", "emailed"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "hotel"]
    readonly_fields = ["user", "kind", "title", "body", "link", "hotel", "data", "read_at", "emailed", "created_at"]
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only events notify; every field is read-only, change is for delete and restore


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAuditedAdmin):
    list_display = ["user", "kind", "email", "updated_at"]
    list_filter = ["kind", "email"]
    search_fields = ["user__email"]
