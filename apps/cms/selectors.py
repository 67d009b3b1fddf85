"""Reads of the CMS: public pages from Redis (until the next publish), else PostgreSQL; revisions from MongoDB.

Cache keys carry a generation that every publish, unpublish, delete or
placement change replaces after commit, so a stale page is never served and
nothing needs to list the keys it drops. Redis down: the reads go to
PostgreSQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from pymongo.errors import PyMongoError

from apps.audit.models import OutboxEntry
from apps.cms.models import Page
from apps.core import context, mongo
from apps.core.errors import NotFound

logger = logging.getLogger("hbs.cms")
CACHE_GENERATION_KEY = "cms:generation"
CONTENT_DOCS = "content_docs"
MISSING = "missing"


@dataclass(frozen=True)
class PublicPage:
    """What the site and the API show of a published page."""

    slug: str
    title: str
    summary: str
    body_html: str
    seo_description: str
    placement: str
    order: int
    updated_at: datetime | None
    url: str


def _public(page: Page) -> PublicPage:
    return PublicPage(
        slug=page.slug,
        title=page.published_title,
        summary=page.published_summary,
        body_html=page.published_body_html,
        seo_description=page.published_seo_description,
        placement=page.placement,
        order=page.order,
        updated_at=page.published_at,
        url=page.url,
    )


def _generation() -> str:
    """The generation, read once per request (the page, the header and the footer links ask for it)."""
    request = context.current().request
    generation = getattr(request, "cms_generation", None)
    if generation is None:
        generation = str(cache.get(CACHE_GENERATION_KEY) or "0")
        if request is not None:
            request.cms_generation = generation
    return generation


def published_pages() -> list[PublicPage]:
    """Every published page, by order then title (cached; read once per request)."""
    request = context.current().request
    found = getattr(request, "cms_published_pages", None)
    if found is not None and getattr(request, "cms_published_pages_language", None) == translation.get_language():
        return found
    key = f"cms:list:{_generation()}:{translation.get_language()}"
    found = cache.get(key)
    if found is None:
        found = [_public(page) for page in Page.objects.filter(status=Page.Status.PUBLISHED).order_by("order", "title")]
        cache.set(key, found, None)
    if request is not None:
        request.cms_published_pages = found
        request.cms_published_pages_language = translation.get_language()
    return found


def published_page(*, slug: str) -> PublicPage:
    """One published page by slug; a draft, scheduled, deleted or unknown page is 404 (cached, misses too)."""
    key = f"cms:page:{_generation()}:{translation.get_language()}:{slug[:80]}"
    found = cache.get(key)
    if found is None:
        page = Page.objects.filter(slug=slug, status=Page.Status.PUBLISHED).first()
        found = _public(page) if page is not None else MISSING
        cache.set(key, found, None)
    if found == MISSING:
        raise NotFound(_("There is no such page."))
    return found


def pages_placed(placement: str) -> list[PublicPage]:
    return [page for page in published_pages() if page.placement == placement]


# --- Revisions (admin) -----------------------------------------------------------------------------


@dataclass
class Revisions:
    lines: list[dict[str, Any]]
    mongodb_available: bool


def page_revisions(*, page: Page) -> Revisions:
    """The page's published revisions, newest first: MongoDB's, plus those still waiting in the outbox
    (or only the outbox's when MongoDB is out), each marked `shipped` or not."""
    lines: dict[int, dict[str, Any]] = {}
    available = mongo.is_configured()
    if available:
        try:
            for document in mongo.get_database()[CONTENT_DOCS].find({"page_id": page.pk}):
                lines[document["revision"]] = {**document, "shipped": True}
        except (PyMongoError, mongo.MongoNotConfigured) as error:
            logger.warning("MongoDB unavailable, reading revisions from the outbox", extra={"error": str(error)})
            available = False
    rows = OutboxEntry.objects.filter(collection=CONTENT_DOCS, document__page_id=page.pk)
    for row in rows:
        revision = row.document.get("revision")
        if revision is not None:
            lines.setdefault(revision, {**row.document, "at": row.created_at, "shipped": row.shipped_at is not None})
    return Revisions(lines=[lines[number] for number in sorted(lines, reverse=True)], mongodb_available=available)


def page_revision(*, page: Page, revision: int) -> dict[str, Any] | None:
    return next((line for line in page_revisions(page=page).lines if line.get("revision") == revision), None)
