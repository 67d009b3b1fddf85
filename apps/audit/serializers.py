"""Shapes of the audit API: the query it accepts and the lines it returns."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

_ENTITY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class AuditLogQuery(serializers.Serializer):
    entity = serializers.CharField(required=False, max_length=100, help_text="Model label, e.g. `accounts.user`.")
    entity_id = serializers.CharField(required=False, max_length=100, help_text="Primary key of the row, as text.")
    ref = serializers.CharField(
        required=False,
        max_length=254,
        help_text="The entity's human key, as `entity_ref` shows it: a booking's reference (`HBS-7K3M9Q`), "
        "a hotel's or page's slug.",
    )
    actor = serializers.CharField(
        required=False, max_length=20, help_text="A user id, or `system` (tasks, commands) or `anonymous`."
    )
    since = serializers.DateTimeField(required=False, help_text="Only lines at or after this instant (ISO 8601).")
    cursor = serializers.CharField(required=False, help_text="Opaque; from `next` or `previous`.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)

    def validate_entity(self, value: str) -> str:
        value = value.lower()
        if not _ENTITY.match(value):
            raise serializers.ValidationError(_("Use a model label such as `accounts.user`."))
        return value

    def validate_actor(self, value: str) -> int | str:
        if value in {"system", "anonymous"}:
            return value
        if value.isdigit():
            return int(value)
        raise serializers.ValidationError(_("Use a user id, `system` or `anonymous`."))


class ActorOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["user", "anonymous", "system"])
    id = serializers.IntegerField(allow_null=True)
    email = serializers.CharField(allow_blank=True)


class AuditLogOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The outbox id, also the document's `_id` in MongoDB.")
    at = serializers.DateTimeField()
    action = serializers.CharField(
        help_text="create, update, soft_delete, restore, delete, m2m_add, m2m_remove, m2m_clear, login, logout, "
        "login_failed, or a domain event."
    )
    entity = serializers.CharField()
    entity_id = serializers.CharField(allow_blank=True)
    entity_ref = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="The entity's human key where it has one (a booking's reference, a hotel's slug, a page's "
        "slug, a user's email); empty otherwise.",
    )
    changes = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field changes as {field: [old, new]}; many-to-many as {field: {added|removed: [...]}}. "
        "Secrets read `********`.",
    )
    actor = ActorOut()
    request_id = serializers.CharField(allow_blank=True)
    ip = serializers.CharField(allow_blank=True)
    user_agent = serializers.CharField(allow_blank=True)
    details = serializers.DictField(required=False, child=serializers.JSONField())
    shipped = serializers.BooleanField(help_text="False while the line still waits in the outbox for MongoDB.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        line = super().to_representation(instance)
        if "details" not in instance:
            line.pop("details", None)
        return line


class AuditLogPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AuditLogOut(many=True)
