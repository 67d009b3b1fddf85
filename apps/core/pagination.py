"""Pagination for API lists: `next`, `previous`, `results` as API.md describes."""

import re

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request


class PagePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        # DRF quietly ignores a page_size that is not a number; say so instead (400).
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not re.fullmatch(r"\s*-?[0-9]+\s*", raw):
            raise ValidationError({self.page_size_query_param: [_("A whole number, e.g. 20.")]})
        return super().get_page_size(request)

    def get_page_number(self, request: Request, paginator: Paginator) -> str | int:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (re.fullmatch(r"[0-9]+", raw) or raw in self.last_page_strings):
            raise ValidationError({self.page_query_param: [_("A page number, e.g. 2.")]})
        return super().get_page_number(request, paginator)


class NewestFirstCursorPagination(CursorPagination):
    """For long, growing lists (logs): stable under inserts, no COUNT(*)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
