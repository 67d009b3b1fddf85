"""Editing pages in the admin: saves and publishes through the services, with a preview, revisions and restore."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from modeltranslation.admin import TranslationAdmin

from apps.audit.admin import AuditedEntityAdmin
from apps.cms import selectors, services
from apps.cms.models import Page
from apps.cms.rendering import render_markdown
from apps.core.errors import ApplicationError


@admin.register(Page)
class PageAdmin(TranslationAdmin, AuditedEntityAdmin):
    list_display = ["title", "slug", "status", "publish_at", "placement", "order", "revision", "published_at"]
    list_filter = ["status", "placement"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "revision", "published_at", "published_by", "unpublished_changes"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (gettext_lazy("Publishing"), {"fields": ["status", "publish_at", "placement", "order", "seo_description"]}),
        (gettext_lazy("Preview (as saved)"), {"fields": ["preview"]}),
        (gettext_lazy("Public copy"), {"fields": ["revision", "published_at", "published_by", "unpublished_changes"]}),
    ]
    actions = [*AuditedEntityAdmin.actions, "publish_selected", "unpublish_selected"]

    @admin.display(description=gettext_lazy("Preview"))
    def preview(self, page: Page) -> str:
        if not page.pk:
            return _("Save to see the page as it will look.")
        # body_html is rendered and cleaned by nh3 on save (apps/cms/rendering.py).
        return mark_safe(f'<div class="cms-preview">{page.body_html}</div>')

    @admin.display(description=gettext_lazy("Edits not public yet"), boolean=True)
    def unpublished_changes(self, page: Page) -> bool:
        return bool(page.pk) and page.has_unpublished_changes

    def save_model(self, request: HttpRequest, obj: Page, form: ModelForm, change: bool) -> None:
        try:
            services.page_save(page=obj, editor=request.user)  # type: ignore[arg-type]
        except ApplicationError as error:
            # The form and the constraints have validated the fields already; a service rule speaks here.
            self.message_user(request, error.message, messages.ERROR)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:page_id>/revisions/", self.admin_site.admin_view(self.revisions_view), name="cms_page_revisions"
            ),
            path(
                "<int:page_id>/revisions/<int:revision>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="cms_page_restore",
            ),
            path("<int:page_id>/preview/", self.admin_site.admin_view(self.preview_view), name="cms_page_preview"),
        ]
        return [*own, *super().get_urls()]

    def _page(self, request: HttpRequest, page_id: int, *, change: bool = False) -> Page:
        page: Page = get_object_or_404(Page.all_objects, pk=page_id)
        allowed = (
            self.has_change_permission(request, page) if change else self.has_view_or_change_permission(request, page)
        )
        if not allowed:
            raise PermissionDenied
        return page

    def revisions_view(self, request: HttpRequest, page_id: int) -> HttpResponse:
        page = self._page(request, page_id)
        found = selectors.page_revisions(page=page)
        names = dict(settings.LANGUAGES)
        for line in found.lines:  # each language's body diff under its name (older revisions: English only)
            diffs = line.get("diffs")
            line["language_diffs"] = (
                None if diffs is None else [(code, names.get(code, code), diffs[code]) for code in diffs]
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions: %(page)s") % {"page": page},
            "opts": Page._meta,
            "page": page,
            "revisions": found.lines,
            "mongodb_available": found.mongodb_available,
        }
        return TemplateResponse(request, "admin/cms/page/revisions.html", context)

    def restore_view(self, request: HttpRequest, page_id: int, revision: int) -> HttpResponse:
        page = self._page(request, page_id, change=True)
        try:
            restored = services.page_restore_revision(page=page, revision=revision)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:cms_page_revisions", args=[page.pk]))
        self.message_user(
            request,
            format_html(
                _("Revision {revision} is back as a draft of the content. Check the preview, then save as published."),
                revision=restored.revision,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:cms_page_change", args=[page.pk]))

    def preview_view(self, request: HttpRequest, page_id: int) -> HttpResponse:
        """The editable copy in the site's own page template (as it would look once published)."""
        page = self._page(request, page_id)
        shown = selectors.PublicPage(
            slug=page.slug,
            title=page.title,
            summary=page.summary,
            body_html=render_markdown(page.body),
            seo_description=page.seo_description,
            placement=page.placement,
            order=page.order,
            updated_at=None,
            url=page.url,
        )
        return render(request, "cms/page.html", {"page": shown, "preview": True})

    @admin.action(description=gettext_lazy("Publish selected pages now"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        for page in queryset.filter(is_deleted=False):
            services.page_publish(page=page, editor=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("Published."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Take selected pages off the site"), permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        for page in queryset:
            services.page_unpublish(page=page)
        self.message_user(request, _("Taken off the site (their revisions stay)."), messages.SUCCESS)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"status": Page.Status.DRAFT}
