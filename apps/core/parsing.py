"""The one way an API view reads its input: a serializer validates, or 400 validation_error."""

from __future__ import annotations

from typing import Any


def parse_input(serializer_class: type, data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validated data of `serializer_class` on `data` (request.data or query params); raises on bad input."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
