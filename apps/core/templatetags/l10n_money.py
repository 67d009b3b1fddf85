"""Money and numbers as the page's language writes them, in the hotel's currency (Babel's CLDR data)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils import translation

register = template.Library()


def babel_locale(language: str | None = None) -> str:
    """Django's language code (pt-pt) as a CLDR locale (pt_PT)."""
    return translation.to_locale(language or translation.get_language() or "en")


def format_money(amount: object, currency: str, *, language: str | None = None) -> str:
    """`1234.5, "EUR"` → `€1,234.50` (en), `1234,50 €` (pt-pt), `1 234,50 €` (fr-ca)."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    return format_currency(value, currency or "EUR", locale=babel_locale(language))


@register.filter
def money(amount: object, currency: str) -> str:
    """`{{ booking.total|money:booking.currency }}`; an empty value stays empty."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)


@register.filter
def number(value: object, decimals: int = 0) -> str:
    """A number with the language's separators: `{{ occupancy|number:1 }}`."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    pattern = "#,##0" + ("." + "0" * int(decimals) if int(decimals) else "")
    return format_decimal(amount, format=pattern, locale=babel_locale())
