from django.contrib import admin

from apps.audit.admin import AuditedEntityAdmin
from apps.bookings.models import Booking, BookingNight


class BookingNightInline(admin.TabularInline):
    model = BookingNight
    extra = 0
    fields = ["date", "base", "occupancy_charge", "override_applied", "price"]
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
