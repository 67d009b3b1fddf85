from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from apps.audit.admin import AuditedEntityAdmin
from apps.offers.models import Offer


@admin.register(Offer)
class OfferAdmin(TranslationAdmin, AuditedEntityAdmin):
    list_display = ["name", "code", "hotel", "kind", "value", "times_used", "usage_limit", "is_active", "is_public"]
    list_filter = ["is_active", "is_public", "kind", "hotel"]
    search_fields = ["name", "code", "hotel__name"]
    filter_horizontal = ["room_types"]
    readonly_fields = ["times_used"]
    list_select_related = ["hotel"]
