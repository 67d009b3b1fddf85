"""Reviews in the admin: look up, restore a deleted one, trace; moderation is on the staff page, with its rules."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from apps.audit.admin import AuditedEntityAdmin, ReadOnlyAuditedAdmin
from apps.reviews.models import Review, ReviewInvite
from apps.reviews.services import review_restore


@admin.register(Review)
class ReviewAdmin(AuditedEntityAdmin):
    list_display = ["pk", "hotel", "author", "rating", "status", "responded_at", "created_at"]
    list_filter = ["status", "hotel", "rating"]
    search_fields = ["booking__reference", "author__email", "title", "text"]
    list_select_related = ["hotel", "author"]
    date_hierarchy = "created_at"
    # Figures of the hotel follow each write through the services; the admin only looks (and restores).
    readonly_fields = [field.name for field in Review._meta.concrete_fields]

    actions = ["restore_selected"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the author deletes, the manager hides: each through its service, figures recounted

    @admin.action(description=gettext_lazy("Restore selected deleted reviews"), permissions=["change"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        for review in queryset.filter(is_deleted=True):
            review_restore(review=review)
            restored += 1
        self.message_user(
            request,
            ngettext("Restored %(count)s review.", "Restored %(count)s reviews.", restored) % {"count": restored},
            messages.SUCCESS,
        )


@admin.register(ReviewInvite)
class ReviewInviteAdmin(ReadOnlyAuditedAdmin):
    list_display = ["booking", "sent_at"]
    search_fields = ["booking__reference"]
    list_select_related = ["booking"]
