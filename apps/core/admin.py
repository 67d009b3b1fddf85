"""Admin building blocks shared by every entity's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest


class DeletedFilter(admin.SimpleListFilter):
    """Live rows, deleted rows, or both (the default, so a deleted row is never out of sight)."""

    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", "Live only"), ("yes", "Deleted only")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(is_deleted=False)
        if self.value() == "yes":
            return queryset.filter(is_deleted=True)
        return queryset


class SoftDeleteAdmin(admin.ModelAdmin):
    """For SoftDeleteModel entities: lists deleted rows too, restores them, and lets superusers purge.

    "Delete" in the admin stays a soft delete (the model's own delete()); the
    hard delete is a separate action for superusers only, and the row's
    snapshot still goes to the backups on the way out.
    """

    actions = ["restore_selected", "hard_delete_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # all_objects: the default manager hides deleted rows, the admin must not.
        queryset = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [DeletedFilter, *super().get_list_filter(request)]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_display(request), "is_deleted", "deleted_at"]

    def has_hard_delete_permission(self, request: HttpRequest) -> bool:
        """Only superusers delete rows for good; the admin hides the action from everyone else."""
        return request.user.is_superuser

    @admin.action(description="Restore selected deleted rows", permissions=["change"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        with transaction.atomic():
            for row in queryset.filter(is_deleted=True):
                row.restore()
                restored += 1
        self.message_user(request, f"Restored {restored} row(s).", messages.SUCCESS)

    @admin.action(description="Delete selected rows for good (a backup is kept)", permissions=["hard_delete"])
    def hard_delete_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not self.has_hard_delete_permission(request):  # hidden from others too; this is the rule itself
            self.message_user(request, "Only superusers may delete rows for good.", messages.ERROR)
            return
        with transaction.atomic():
            removed = 0
            for row in queryset:
                row.hard_delete()
                removed += 1
        self.message_user(request, f"Deleted {removed} row(s) for good; their backups are kept.", messages.SUCCESS)
