"""The public page of each published CMS page, at its `url`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.cms import selectors


@require_safe
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "cms/page.html", {"page": selectors.published_page(slug=slug)})
