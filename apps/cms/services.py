"""Writes of the CMS: save (render and clean on save), publish (a revision to content_docs), restore, schedule.

A publish copies the editable copy into the published one, counts the
revision and queues its document for MongoDB `content_docs` through the
outbox, in the same transaction; the public cache is dropped after commit.
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import current_actor, record
from apps.cms.models import EDITABLE, TRANSLATED, Page, content_languages, localized
from apps.cms.rendering import render_markdown
from apps.cms.selectors import CACHE_GENERATION_KEY, CONTENT_DOCS, page_revision
from apps.core.errors import InvalidState, ValidationFailed
from apps.core.transactions import on_commit

Status = Page.Status


def forget_public_pages() -> None:
    """Drops every cached public page and the links list (after commit: readers never cache a rollback)."""
    on_commit(lambda: cache.set(CACHE_GENERATION_KEY, uuid.uuid4().hex, None))


def _lock(page: Page) -> Page:
    return Page.all_objects.select_for_update(of=("self",)).get(pk=page.pk)


def _check(page: Page, now: datetime) -> None:
    if page.status == Status.SCHEDULED and page.publish_at is None:
        raise ValidationFailed(
            _("A scheduled page needs the time it goes public."), fields={"publish_at": [_("Give a date and time.")]}
        )
    if not page.title.strip():
        raise ValidationFailed(_("A page needs a title."), fields={"title": [_("Required.")]})


def page_save(*, page: Page, editor: User | None, now: datetime | None = None) -> Page:
    """Saves the editor's copy (rendered and cleaned now, for the preview). Saved as published, it publishes
    when its content differs from what is public; scheduled, it waits for `publish_at` (the periodic job)."""
    now = now or timezone.now()
    _check(page, now)
    page.render_bodies(render_markdown)
    with transaction.atomic():
        wants_public = page.status == Status.PUBLISHED
        if page.pk is None:
            if wants_public:
                page.status = Status.DRAFT  # a new page is public only once its first revision exists
            page.save()
        else:
            _lock(page)
            if wants_public and page.revision == 0:
                page.status = Status.DRAFT
            page.save()
        if wants_public and (page.revision == 0 or page.has_unpublished_changes):
            page = page_publish(page=page, editor=editor, now=now)
    return page


def _diff(before: str, after: str, *, before_label: str, after_label: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), fromfile=before_label, tofile=after_label, lineterm=""
    )
    return "\n".join(lines)


def page_publish(*, page: Page, editor: User | None, now: datetime | None = None) -> Page:
    """Makes the editable copy public as the next revision and records the revision in `content_docs`:
    every language's copy (`languages`) and, per language, what changed in its body (`diffs`). The top
    level keeps the English copy and diff."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(page)
        if current.is_deleted:
            raise InvalidState(_("A deleted page cannot be published; restore it first."))
        number = current.revision + 1
        before_label = f"{current.slug} r{current.revision}" if current.revision else "(nothing)"
        diffs = {
            language: _diff(
                getattr(current, localized("published_body", language)) or "",
                getattr(current, localized("body", language)) or "",
                before_label=f"{before_label} {language}",
                after_label=f"{current.slug} r{number} {language}",
            )
            for language in content_languages()
        }
        current.render_bodies(render_markdown)
        current.revision = number
        current.status = Status.PUBLISHED
        current.publish_at = None
        current.copy_to_published()
        current.published_at = now
        current.published_by = editor
        current.save()
        author = current_actor() if editor is None else {"type": "user", "id": editor.pk, "email": editor.email}
        languages = {
            language: {field: getattr(current, localized(field, language)) or "" for field in TRANSLATED}
            for language in content_languages()
        }
        record(
            collection=CONTENT_DOCS,
            document={
                "page_id": current.pk,
                "slug": current.slug,
                "revision": number,
                **languages[settings.MODELTRANSLATION_DEFAULT_LANGUAGE],
                "languages": languages,
                "author": author,
                "published_at": now,
                "diff": diffs[settings.MODELTRANSLATION_DEFAULT_LANGUAGE],
                "diffs": {language: diff for language, diff in diffs.items() if diff},
            },
        )
    return current


def page_unpublish(*, page: Page) -> Page:
    """Takes a page off the site (404) and back to draft; its revisions stay."""
    with transaction.atomic():
        current = _lock(page)
        current.status = Status.DRAFT
        current.publish_at = None
        current.save(update_fields=["status", "publish_at", "updated_at"])
    return current


@dataclass(frozen=True)
class Restored:
    page: Page
    revision: int


def page_restore_revision(*, page: Page, revision: int) -> Restored:
    """Copies revision `revision` into the editable copy as a new draft of the content. What is public
    does not change until someone publishes it (a published page stays online meanwhile)."""
    found: dict[str, Any] | None = page_revision(page=page, revision=revision)
    if found is None:
        raise ValidationFailed(
            _("Page %(slug)s has no revision %(revision)s.") % {"slug": page.slug, "revision": revision},
            fields={"revision": [_("Unknown.")]},
        )
    # A revision from before pages had languages holds the English copy only, at its top level.
    copies = found.get("languages") or {settings.MODELTRANSLATION_DEFAULT_LANGUAGE: found}
    with transaction.atomic():
        current = _lock(page)
        for language in content_languages():
            copy = copies.get(language, {})
            for field in EDITABLE:
                column = localized(field, language)
                keep = field == "title" and language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE  # never empty
                setattr(current, column, copy.get(field) or (getattr(current, column) if keep else ""))
        current.render_bodies(render_markdown)
        if current.status == Status.SCHEDULED:
            current.status, current.publish_at = Status.DRAFT, None
        current.save()
    return Restored(page=current, revision=revision)


def pages_publish_due(*, now: datetime | None = None) -> int:
    """The periodic job: scheduled pages whose `publish_at` has come are published (their author: the system)."""
    now = now or timezone.now()
    due = list(
        Page.objects.filter(status=Status.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at")
        .values_list("pk", flat=True)
    )
    published = 0
    for pk in due:
        with transaction.atomic():
            page = Page.objects.select_for_update(of=("self",)).filter(pk=pk, status=Status.SCHEDULED).first()
            if page is None or page.publish_at is None or page.publish_at > now:
                continue  # changed since it was listed
            page_publish(page=page, editor=None, now=now)
            published += 1
    return published
