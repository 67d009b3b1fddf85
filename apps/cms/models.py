"""CMS pages: what editors write (Markdown) and what the site serves (the last published revision)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from apps.core.models import SoftDeleteModel

# The copy kept per language (apps/cms/translation.py registers these and their published twins).
TRANSLATED = ("title", "summary", "body", "body_html", "seo_description")
EDITABLE = ("title", "summary", "body", "seo_description")  # what editors write; body_html is rendered


def localized(field: str, language: str) -> str:
    """The column of `field` in `language` (pt-pt: `title_pt_pt`)."""
    return f"{field}_{language.replace('-', '_')}"


def content_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


slug_rule = RegexValidator(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "Lower-case letters, digits and single hyphens.")


class Page(SoftDeleteModel):
    """A content page. The editable copy (title, summary, body) is what editors change and preview; the
    `published_*` copy is what the public sees, written only by a publish, which also sends the
    revision to MongoDB `content_docs` (through the outbox)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    class Placement(models.TextChoices):
        NONE = "none", "Not linked"
        HEADER = "header", "Header"
        FOOTER = "footer", "Footer"

    # Unique among deleted pages too: a slug names one page's revisions in content_docs for good.
    slug = models.SlugField(max_length=80, unique=True, validators=[slug_rule])
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField(blank=True, default="", help_text="Markdown. HTML is cleaned: no scripts, no handlers.")
    body_html = models.TextField(blank=True, default="", editable=False, help_text="The body rendered and cleaned.")
    seo_description = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="Scheduled: when it goes public.")
    placement = models.CharField(max_length=16, choices=Placement.choices, default=Placement.NONE)
    order = models.PositiveSmallIntegerField(default=100, help_text="Links sort by this, then by title.")

    revision = models.PositiveIntegerField(default=0, editable=False, help_text="Last published revision (0: never).")
    published_title = models.CharField(max_length=200, blank=True, default="", editable=False)
    published_summary = models.CharField(max_length=300, blank=True, default="", editable=False)
    published_body = models.TextField(blank=True, default="", editable=False)
    published_body_html = models.TextField(blank=True, default="", editable=False)
    published_seo_description = models.CharField(max_length=300, blank=True, default="", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False), name="cms_page_scheduled_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(revision__gt=0), name="cms_page_published_has_revision"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return f"/pages/{self.slug}/"

    @property
    def has_unpublished_changes(self) -> bool:
        """Any language's editable copy differs from its published copy."""
        return any(
            (getattr(self, localized(field, language)) or "")
            != (getattr(self, localized(f"published_{field}", language)) or "")
            for language in content_languages()
            for field in EDITABLE
        )

    def render_bodies(self, render: Callable[[str], str]) -> None:
        """Each language's body rendered into its own body_html (an empty body stays empty: English shows)."""
        for language in content_languages():
            body = getattr(self, localized("body", language)) or ""
            setattr(self, localized("body_html", language), render(body) if body else body)

    def copy_to_published(self) -> None:
        """The editable copy of every language becomes its published copy."""
        for language in content_languages():
            for field in TRANSLATED:
                setattr(self, localized(f"published_{field}", language), getattr(self, localized(field, language)))
