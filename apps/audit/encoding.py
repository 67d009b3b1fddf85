"""One encoder for every document bound for MongoDB: what it returns is valid JSON and valid BSON.

The outbox keeps documents as JSON in PostgreSQL and the relay hands them to
pymongo unchanged, so the value must survive both: Decimal becomes a string
(money keeps its exact digits), dates and times become ISO text, UUIDs text,
integers beyond BSON's 64 bits text, bytes base64.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def bson_safe(value: Any) -> Any:
    """Returns `value` as plain JSON types that BSON also accepts (dict keys become strings)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return bson_safe(value.value)
    if isinstance(value, int):
        return value if _INT64_MIN <= value <= _INT64_MAX else str(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, models.Model):
        return bson_safe(value.pk)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, Mapping):
        return {_key(key): bson_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [bson_safe(item) for item in value]
        # Sets have no order; sort them so the same change always reads the same.
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


def _key(key: Any) -> str:
    # MongoDB reads "a.b" as a path and "$x" as an operator: keep keys literal.
    text = str(key)
    return text.replace(".", "\uff0e").replace("$", "\uff04") if ("." in text or text.startswith("$")) else text
