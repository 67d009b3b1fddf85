"""Refunds in the admin: to look up and trace; approvals happen in the refund queue, with four-eyes."""

from django.contrib import admin

from apps.audit.admin import ReadOnlyAuditedAdmin
from apps.refunds.models import Refund


@admin.register(Refund)
class RefundAdmin(ReadOnlyAuditedAdmin):
    list_display = ["pk", "booking", "amount", "status", "requested_by", "decided_by", "decided_at", "created_at"]
    list_filter = ["status", "booking__hotel"]
    search_fields = ["booking__reference", "requested_by__email", "reason"]
    list_select_related = ["booking", "requested_by", "decided_by"]
    date_hierarchy = "created_at"
