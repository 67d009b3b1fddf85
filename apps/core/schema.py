"""OpenAPI: the one error shape, declared once and attached to every operation; lists paged only where they are."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, except that only GET answers are paged: DRF's list views page `list()` alone, so a
    POST on one (rooms created in a batch) answers a plain array, not a page."""

    def _get_paginator(self) -> Any:
        return super()._get_paginator() if self.method == "GET" else None


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable machine code, e.g. room_unavailable."},
                "message": {"type": "string", "description": "A sentence a person can act on."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
_DESCRIPTIONS = {
    "400": "Invalid input (validation_error, parse_error, …).",
    "401": "Not authenticated (not_authenticated).",
    "403": "Not allowed (permission_denied).",
    "404": "Not found, or not visible to the caller (not_found).",
    "405": "Method not allowed (method_not_allowed).",
    "406": "Not acceptable (not_acceptable).",
    "409": "Conflict (conflict, room_unavailable, invalid_state, …).",
    "415": "Unsupported media type (unsupported_media_type).",
    "429": "Too many requests (throttled).",
    "500": "Server error (server_error).",
}
_ALWAYS = ("400", "401", "403", "404", "405", "406", "415", "429", "500")
# A write can meet a row in the wrong state or a rule it breaks (invalid_state, conflict) whatever it is.
_WRITES_ALSO = ("409",)
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation may answer with the error shape."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            also = _WRITES_ALSO if method in _WRITE_METHODS else ()
            for code in (*_ALWAYS, *also, *(c for c in responses if c.startswith(("4", "5")))):
                if responses.get(code, {}).get("content"):
                    continue  # the view declared its own error body
                responses[code] = {
                    "description": responses.get(code, {}).get("description") or _DESCRIPTIONS.get(code, "Error."),
                    "content": {"application/json": {"schema": reference}},
                }
    return result
