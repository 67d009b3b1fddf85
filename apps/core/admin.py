"""Admin building blocks shared by every entity's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.core.errors import ApplicationError


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

    @admin.action(description=gettext_lazy("Restore selected deleted rows"), permissions=["change"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        with transaction.atomic():
            for row in queryset.filter(is_deleted=True):
                row.restore()
                restored += 1
        self.message_user(
            request,
            ngettext("Restored %(count)s row.", "Restored %(count)s rows.", restored) % {"count": restored},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Delete selected rows for good (a backup is kept)"), permissions=["hard_delete"]
    )
    def hard_delete_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not self.has_hard_delete_permission(request):  # hidden from others too; this is the rule itself
            self.message_user(request, _("Only superusers may delete rows for good."), messages.ERROR)
            return
        with transaction.atomic():
            removed = 0
            for row in queryset:
                row.hard_delete()
                removed += 1
        self.message_user(
            request,
            ngettext(
                "Deleted %(count)s row for good; its backup is kept.",
                "Deleted %(count)s rows for good; their backups are kept.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )


class ServiceDeleteAdmin(admin.ModelAdmin):
    """An admin whose "delete" goes through the domain's delete service, so its rules and audit line hold.

    `delete_service(row)` deletes or raises an ApplicationError; `deletion_problem(row)` says beforehand why a
    row cannot go (the admin then offers no delete button for it). Django's bulk "delete selected" is replaced
    by an action that asks the service row by row and says which rows stayed and why.
    """

    def delete_service(self, row: Any) -> None:
        raise NotImplementedError

    def deletion_problem(self, row: Any) -> str | None:
        raise NotImplementedError

    def __init__(self, model: type[Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        self.actions = [*(self.actions or []), "delete_through_service"]

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.deletion_problem(obj) is None)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.delete_service(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.delete_through_service(request, queryset)

    @admin.action(
        description=gettext_lazy("Delete selected rows (the catalogue's rules apply)"), permissions=["delete"]
    )
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet) -> None:
        deleted, kept = 0, []
        for row in queryset:
            try:
                self.delete_service(row)
            except ApplicationError as error:
                kept.append(f"{row}: {error.message}")
            else:
                deleted += 1
        if deleted:
            message = ngettext("Deleted %(count)s row.", "Deleted %(count)s rows.", deleted) % {"count": deleted}
            self.message_user(request, message, messages.SUCCESS)
        for line in kept:
            self.message_user(request, _("Kept %(row)s") % {"row": line}, messages.ERROR)
