"""An offer's name and description per language (django-modeltranslation), English the fallback."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from apps.offers.models import Offer


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("name", "description")
