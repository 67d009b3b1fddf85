from django.contrib import admin
from django.http import HttpRequest

from apps.audit.admin import AuditedEntityAdmin
from apps.bookings.models import Booking, BookingNight, RoomBlock


class BookingNightInline(admin.TabularInline):
    model = BookingNight
    extra = 0
    fields = ("date", "base", "occupancy_charge", "override_applied", "price")
    readonly_fields = fields
    can_delete = False


@admin.register(Booking)
class BookingAdmin(AuditedEntityAdmin):
    """Read-mostly: bookings change through their services (pages, API, desk), not by hand."""

    list_display = ["reference", "hotel", "guest", "room", "check_in", "check_out", "status", "total", "currency"]
    list_filter = ["status", "hotel"]
    search_fields = ["reference", "guest__email", "guest__last_name"]
    date_hierarchy = "check_in"
    list_select_related = ["hotel", "guest", "room"]
    raw_id_fields = ["guest", "room", "room_type", "offer"]
    readonly_fields = ["reference", "subtotal", "discount", "taxes", "total", "currency"]
    inlines = [BookingNightInline]


@admin.register(RoomBlock)
class RoomBlockAdmin(AuditedEntityAdmin):
    """Read-only: blocks are set where their rule lives (the room board, `rooms/{id}/blocks/`)."""

    list_display = ["room", "hotel", "start", "end", "reason", "created_by"]
    list_filter = ["hotel"]
    list_select_related = ["room", "hotel", "created_by"]
    raw_id_fields = ["room", "hotel", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RoomBlock | None = None) -> bool:
        return False
