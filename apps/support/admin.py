"""Tickets in the admin: look up and trace; the thread and changes happen on the staff pages, with their rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.audit.admin import AuditedEntityAdmin, ReadOnlyAuditedAdmin
from apps.support.models import SupportSettings, Ticket, TicketAttachment, TicketMessage


class TicketMessageInline(admin.TabularInline):
    model = TicketMessage
    fields = ("created_at", "author", "from_staff", "internal", "body")
    readonly_fields = ("created_at", "author", "from_staff", "internal", "body")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(AuditedEntityAdmin):
    list_display = ["pk", "subject", "hotel", "guest", "status", "priority", "assignee", "due_at", "created_at"]
    list_filter = ["status", "priority", "category", "hotel", "first_response_breached", "resolution_breached"]
    search_fields = ["subject", "guest__email", "booking__reference"]
    list_select_related = ["hotel", "guest", "assignee"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Ticket._meta.concrete_fields]
    inlines = [TicketMessageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(ReadOnlyAuditedAdmin):
    list_display = ["pk", "name", "content_type", "size", "message", "created_at"]
    search_fields = ["name"]
    list_select_related = ["message"]


@admin.register(SupportSettings)
class SupportSettingsAdmin(admin.ModelAdmin):
    list_display = ["hotel", "first_response_urgent", "first_response_normal", "resolution_normal", "auto_close_days"]
    list_select_related = ["hotel"]
