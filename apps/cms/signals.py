"""Cache bookkeeping: any change to a page (admin delete and restore included) drops the public cache."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from apps.cms.models import Page
from apps.cms.services import forget_public_pages
from apps.core.signals import restored, soft_deleted


def _page_changed(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    forget_public_pages()


for _signal in (post_save, post_delete, soft_deleted, restored):
    _signal.connect(_page_changed, sender=Page, dispatch_uid=f"cms:forget:{id(_signal)}")
