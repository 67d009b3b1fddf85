"""The one way an API view reads its input: a strict JSON parser, then a serializer validates, or 400."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


def parse_input(serializer_class: type, data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validated data of `serializer_class` on `data` (request.data or query params); raises on bad input."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Request bodies -----------------------------------------------------------------------------------

MAX_JSON_DEPTH = 32  # our deepest body is three levels; a document deeper than this is not for us
MAX_JSON_INTEGER_DIGITS = 50  # far past any id, count or amount; Python itself refuses 4,300 with a ValueError
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class HostileJSON(ValueError):
    """JSON that parses but that no field of ours can take: said as a validation error, never a 500."""


def _refuse_constant(name: str) -> None:
    raise HostileJSON(_("%(name)s is not a number JSON allows.") % {"name": name})


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise HostileJSON(_("The number %(start)s… is too large.") % {"start": text[:20]})
    return number


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_INTEGER_DIGITS:
        raise HostileJSON(_("A number has more than %(digits)s digits.") % {"digits": MAX_JSON_INTEGER_DIGITS})
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise HostileJSON(_("The key %(key)s appears twice in one object.") % {"key": repr(key)})
        found[key] = value
    return found


def _check_shape(document: Any) -> None:
    """Depth and text of a parsed document, walked without recursion (the document may be anything)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise HostileJSON(
                    _("The body is nested more than %(levels)s levels deep.") % {"levels": MAX_JSON_DEPTH}
                )
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(node, str) and _LONE_SURROGATE.search(node):
            raise HostileJSON(_("The body holds a lone UTF-16 surrogate (such as \\ud800), which is not text."))


def strict_json_loads(text: str) -> Any:
    """json.loads that refuses duplicate keys, NaN and Infinity, numbers no field could hold, lone surrogates
    and nesting deeper than MAX_JSON_DEPTH, each with a HostileJSON; bad syntax stays a plain ValueError."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except RecursionError as error:
        raise HostileJSON(
            _("The body is nested more than %(levels)s levels deep.") % {"levels": MAX_JSON_DEPTH}
        ) from error
    _check_shape(document)
    return document


class StrictJSONParser(JSONParser):
    """The API's JSON parser: hostile documents are a 400 validation_error saying what is wrong."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            return strict_json_loads(raw.decode(encoding))
        except HostileJSON as error:
            raise exceptions.ValidationError(str(error)) from error
        except ValueError as error:  # bad syntax, or bytes that are not in the declared encoding
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from error
