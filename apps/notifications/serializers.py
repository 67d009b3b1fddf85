"""Shapes of the notifications API."""

from __future__ import annotations

from rest_framework import serializers

from apps.notifications.models import Notification


class NotificationOut(serializers.ModelSerializer):
    """One notification, as listed and as pushed on the websocket."""

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "read_at", "created_at"]
        read_only_fields = fields


class NotificationFiltersIn(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: unread only; false: read only."
    )


class NotificationsReadAllOut(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications were unread and are now read.")


class NotificationPreferenceOut(serializers.Serializer):
    kind = serializers.CharField(source="kind.code")
    label = serializers.CharField(source="kind.label")  # type: ignore[assignment]
    audience = serializers.ChoiceField(source="kind.audience", choices=["guest", "staff"])
    email = serializers.BooleanField()
    locked = serializers.BooleanField(help_text="Always emailed (confirmations and receipts): cannot be turned off.")


class NotificationPreferencesOut(serializers.Serializer):
    preferences = NotificationPreferenceOut(many=True)


class NotificationPreferenceIn(serializers.Serializer):
    kind = serializers.CharField(max_length=64)
    email = serializers.BooleanField()


class NotificationPreferencesIn(serializers.Serializer):
    preferences = serializers.ListField(child=NotificationPreferenceIn(), max_length=100)
