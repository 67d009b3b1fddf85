"""Admin for the catalogue. Hotel grants are visible and editable through guardian's object permissions page."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.accounts.models import User
from apps.accounts.services import roles_in_scope
from apps.audit.admin import AuditedEntityAdmin
from apps.core.admin import ServiceDeleteAdmin
from apps.hotels import services
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType


class RoomTypeInline(TranslationTabularInline):
    model = RoomType
    extra = 0
    can_delete = False  # through the room type's own page, where the catalogue's rules apply
    fields = ["name", "base_rate", "max_adults", "max_children", "base_occupancy"]
    show_change_link = True


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    can_delete = False  # through the room's own page, where the catalogue's rules apply
    fields = ["number", "floor", "in_service", "housekeeping"]
    show_change_link = True


class RateOverrideInline(admin.TabularInline):
    model = RateOverride
    extra = 0
    fields = ["name", "starts_on", "ends_on", "weekdays", "price", "adjustment", "min_nights", "closed_to_arrival"]


@admin.register(Hotel)
class HotelAdmin(TranslationAdmin, AuditedEntityAdmin, GuardedModelAdmin):  # type: ignore[misc]  # guardian's stubs type a template as str
    list_display = ["name", "city", "country", "time_zone", "currency", "tax_rate"]
    list_filter = ["country", "currency", "time_zone"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoomTypeInline]
    readonly_fields = ["staff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "email", "phone"]}),
        ("Place", {"fields": ["address", "city", "country", "latitude", "longitude", "time_zone"]}),
        ("Money and times", {"fields": ["currency", "tax_rate", "check_in_time", "check_out_time"]}),
        (
            "Cancellation and refunds",
            {
                "fields": [
                    "free_cancellation_hours",
                    "late_cancellation_keeps",
                    "late_cancellation_share",
                    "refund_approval_threshold",
                ]
            },
        ),
        ("Guarantees", {"fields": ["max_unpaid_rooms_per_guest", "deposit_rule", "deposit_share"]}),
        ("Staff (change through Object permissions, above)", {"fields": ["staff"]}),
    ]

    @admin.display(description=_("Staff roles here"))
    def staff(self, hotel: Hotel) -> str:
        if not hotel.pk:
            return "-"
        held = roles_in_scope(scope=hotel)
        users = User.objects.filter(pk__in=list(held)).order_by("email")
        return (
            format_html_join("", "<div>{}: {}</div>", ((u.email, ", ".join(sorted(held[u.pk]))) for u in users)) or "-"
        )


@admin.register(Amenity)
class AmenityAdmin(TranslationAdmin, AuditedEntityAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(RoomType)
class RoomTypeAdmin(TranslationAdmin, ServiceDeleteAdmin, AuditedEntityAdmin):
    def delete_service(self, row: RoomType) -> None:
        services.room_type_delete(room_type=row)

    def deletion_problem(self, row: RoomType) -> str | None:
        return services.room_type_deletion_problem(row)

    list_display = ["name", "hotel", "base_rate", "max_adults", "max_children", "base_occupancy"]
    list_filter = ["hotel", "amenities"]
    search_fields = ["name", "hotel__name"]
    filter_horizontal = ["amenities"]
    list_select_related = ["hotel"]
    inlines = [RoomInline, RateOverrideInline]


@admin.register(Room)
class RoomAdmin(ServiceDeleteAdmin, AuditedEntityAdmin):
    def delete_service(self, row: Room) -> None:
        services.room_delete(room=row)

    def deletion_problem(self, row: Room) -> str | None:
        return services.room_deletion_problem(row)

    list_display = ["number", "hotel", "room_type", "floor", "in_service", "housekeeping"]
    list_filter = ["hotel", "in_service", "housekeeping", "room_type"]
    search_fields = ["number", "hotel__name", "room_type__name"]
    list_select_related = ["hotel", "room_type"]
    list_editable = ["in_service", "housekeeping"]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("hotel", "room_type")


@admin.register(RateOverride)
class RateOverrideAdmin(AuditedEntityAdmin):
    list_display = ["room_type", "name", "starts_on", "ends_on", "weekdays", "price", "adjustment", "min_nights"]
    list_filter = ["room_type__hotel", "closed_to_arrival"]
    search_fields = ["name", "room_type__name", "room_type__hotel__name"]
    date_hierarchy = "starts_on"
    list_select_related = ["room_type"]
