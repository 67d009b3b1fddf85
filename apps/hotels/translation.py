"""The catalogue's guest-facing text, one column per language (django-modeltranslation), English the fallback."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from apps.hotels.models import Amenity, Hotel, RoomType


@register(Hotel)
class HotelTranslation(TranslationOptions):
    fields = ("description",)


@register(RoomType)
class RoomTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Amenity)
class AmenityTranslation(TranslationOptions):
    fields = ("name",)
