"""Payments in the admin: to look up and trace, never to edit (money moves only through its services)."""

from django.contrib import admin

from apps.audit.admin import ReadOnlyAuditedAdmin
from apps.payments.models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAuditedAdmin):
    list_display = ["pk", "booking", "amount", "currency", "method", "provider", "status", "created_at"]
    list_filter = ["status", "method", "provider", "booking__hotel"]
    search_fields = ["booking__reference", "provider_reference", "booking__guest__email"]
    list_select_related = ["booking"]
    date_hierarchy = "created_at"


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAuditedAdmin):
    list_display = ["provider", "event_id", "kind", "outcome", "payment", "created_at"]
    list_filter = ["provider", "kind", "outcome"]
    search_fields = ["event_id"]
