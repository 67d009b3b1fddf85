from django.contrib import admin

from apps.calendars.models import Channel, ChannelStay


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "hotel", "room_type", "last_sync_at", "last_error")
    list_filter = ("hotel",)
    readonly_fields = ("last_sync_at", "last_error", "feed_etag", "feed_last_modified", "created_by")
    exclude = ("export_token",)


@admin.register(ChannelStay)
class ChannelStayAdmin(admin.ModelAdmin):
    list_display = ("channel", "uid", "start", "end", "conflict")
    list_filter = ("conflict",)
    readonly_fields = ("channel", "uid", "start", "end", "block", "conflict")

    def has_add_permission(self, request: object) -> bool:
        return False
