"""Template context: header and footer links from the published pages (from the cache; no query when warm)."""

from __future__ import annotations

from django.http import HttpRequest

from apps.cms.selectors import PublicPage, pages_placed


def site_pages(request: HttpRequest) -> dict[str, list[PublicPage]]:
    return {"header_pages": pages_placed("header"), "footer_pages": pages_placed("footer")}
