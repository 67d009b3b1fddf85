"""`{{ row_panels|panels_for:booking.pk }}`: a list page's panels for one row (see apps.core.panels.row_panels)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def panels_for(by_row: Mapping[Hashable, list[Any]] | None, key: Hashable) -> list[Any]:
    return list((by_row or {}).get(key, ()))
