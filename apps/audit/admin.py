"""Admin: a read-only history page for every audited object, and the outbox for operators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from apps.audit import registry
from apps.audit.models import OutboxEntry
from apps.audit.selectors import audit_log_for_object
from apps.audit.services import entity_label
from apps.core.admin import SoftDeleteAdmin

VIEW_AUDIT_LOG = "audit.view_auditlog"


def render_history(
    request: HttpRequest, *, site: admin.AdminSite, model: type[models.Model], object_id: str, title_object: Any
) -> HttpResponse:
    page = audit_log_for_object(entity=entity_label(model), entity_id=str(object_id))
    context = {
        **site.each_context(request),
        "title": f"History: {title_object}",
        "subtitle": None,
        "opts": model._meta,
        "object": title_object,
        "lines": page.lines,
        "mongodb_available": page.mongodb_available,
        "truncated": page.has_more,
    }
    return TemplateResponse(request, "audit/history.html", context)


class AuditHistoryMixin:
    """Replaces the admin's "History" page with the audit lines of the object (MongoDB, plus the outbox)."""

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        model_admin: admin.ModelAdmin = self  # type: ignore[assignment]
        # The row may be soft-deleted: look it up past the default manager.
        manager = getattr(model_admin.model, "all_objects", model_admin.model._base_manager)
        instance = manager.filter(pk=unquote(object_id)).first()
        if instance is None:
            raise Http404("No such object.")
        if not (model_admin.has_view_or_change_permission(request, instance) or request.user.has_perm(VIEW_AUDIT_LOG)):
            raise PermissionDenied
        return render_history(
            request, site=model_admin.admin_site, model=model_admin.model, object_id=instance.pk, title_object=instance
        )


class AuditedEntityAdmin(AuditHistoryMixin, SoftDeleteAdmin):
    """The admin of an entity: deleted rows visible and restorable, and its history read from the audit."""


class ReadOnlyAuditedAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """For rows that only services may change (payments, refunds): the admin looks, it does not touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def attach_history(site: admin.AdminSite) -> None:
    """Gives every audited model's admin the audit history page, whichever app registered that admin."""
    for model in registry.audited_models():
        if not site.is_registered(model):
            continue
        current = site.get_model_admin(model)
        if isinstance(current, AuditHistoryMixin):
            continue
        audited_admin = type(f"Audited{type(current).__name__}", (AuditHistoryMixin, type(current)), {})
        site.unregister(model)
        site.register(model, audited_admin)


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    """What waits for MongoDB and why; read-only, the relay is the only writer after the insert."""

    list_display = ["id", "collection", "created_at", "shipped_at", "attempts", "last_error"]
    list_filter = ["collection", ("shipped_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["id", "collection", "document", "created_at", "shipped_at", "attempts", "last_error"]
    ordering = ["-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        history = path(
            "history/<str:entity>/<str:entity_id>/",
            self.admin_site.admin_view(self.entity_history_view),
            name="audit_entity_history",
        )
        return [history, *super().get_urls()]

    def entity_history_view(self, request: HttpRequest, entity: str, entity_id: str) -> HttpResponse:
        """History of any entity by label and id, even one deleted for good or with no admin of its own."""
        if not request.user.has_perm(VIEW_AUDIT_LOG):
            raise PermissionDenied
        try:
            from django.apps import apps

            model = apps.get_model(entity)
        except (LookupError, ValueError) as error:
            raise Http404("Unknown entity.") from error
        return render_history(
            request, site=self.admin_site, model=model, object_id=entity_id, title_object=f"{entity} #{entity_id}"
        )
