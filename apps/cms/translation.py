"""A page's copy per language (django-modeltranslation), English the fallback.

Both copies are translated: the editable one and the published one, so a publish makes every
language's edits public at once (apps.cms.services copies them language by language).
"""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from apps.cms.models import TRANSLATED, Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = (*TRANSLATED, *(f"published_{name}" for name in TRANSLATED))
