"""Shapes of the pages API (published CMS pages)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers


class ContentPageOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    updated_at = serializers.DateTimeField(help_text="When this content was published.")
    url = serializers.SerializerMethodField(help_text="Where the website serves the page.")

    def get_url(self, page: object) -> str:
        return f"{settings.SITE_URL}{page.url}"  # type: ignore[attr-defined]


class ContentPageDetailOut(ContentPageOut):
    seo_description = serializers.CharField()
    body_html = serializers.CharField(help_text="Sanitized HTML: no script, no event handlers, no javascript: links.")
