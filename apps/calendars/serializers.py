"""Input and output shapes of the channel API."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from rest_framework import serializers

from apps.calendars.models import Channel


def export_url(request: HttpRequest | None, channel: Channel) -> str:
    """The channel's feed address (absolute when there is a request to say the host)."""
    path = reverse("calendars:export", args=[channel.export_token])
    return request.build_absolute_uri(path) if request is not None else path


class ChannelIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    room_type = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    import_url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChannelPatchIn(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    import_url = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ChannelOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    hotel = serializers.CharField(source="hotel.slug")
    room_type = serializers.IntegerField(source="room_type_id")
    export_url = serializers.SerializerMethodField()
    import_url = serializers.CharField()
    last_sync_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()

    def get_export_url(self, channel: Channel) -> str:
        return export_url(self.context.get("request"), channel)


class ChannelConflictOut(serializers.Serializer):
    uid = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ChannelSyncOut(serializers.Serializer):
    channel = ChannelOut()
    not_modified = serializers.BooleanField()
    blocked = serializers.IntegerField(help_text="Events newly holding their nights.")
    released = serializers.IntegerField(help_text="Events gone or cancelled: their nights are free again.")
    unchanged = serializers.IntegerField()
    conflicts = ChannelConflictOut(many=True, help_text="Events no room could hold: nights sold here too.")
    error = serializers.CharField(help_text="Why the feed was refused (then nothing changed); empty when it worked.")
