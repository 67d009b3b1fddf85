"""Offers: a discount applied once per stay, within its windows and usage limit."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from apps.core.models import MONEY, SoftDeleteModel
from apps.hotels.models import Hotel, RoomType


class Offer(SoftDeleteModel):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent of the nights")
        FIXED = "fixed", _("Fixed amount off the stay")

    hotel = models.ForeignKey(
        Hotel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        help_text=_("Empty: every hotel (percent offers only, a fixed amount needs the hotel's currency)."),
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    code = models.CharField(  # noqa: DJ001 (NULL = no code, so many code-less offers pass the unique index)
        max_length=32,
        null=True,
        blank=True,
        help_text=_("Guests type it (any case). Empty: the offer applies by itself."),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(**MONEY, help_text=_("Percent (10.00 = 10 %) or an amount in the hotel's currency."))
    stay_starts_on = models.DateField(null=True, blank=True, help_text=_("First night the offer covers."))
    stay_ends_on = models.DateField(null=True, blank=True, help_text=_("Last night the offer covers."))
    bookable_from = models.DateTimeField(null=True, blank=True)
    bookable_until = models.DateTimeField(null=True, blank=True)
    min_nights = models.PositiveSmallIntegerField(default=1)
    room_types = models.ManyToManyField(
        RoomType, blank=True, related_name="offers", help_text=_("Empty: every room type of the hotel.")
    )
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text=_("Empty: unlimited."))
    times_used = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)
    is_public = models.BooleanField(default=True, help_text=_("Listed on the site and in GET offers/."))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                condition=Q(is_deleted=False, code__isnull=False),
                name="offers_offer_code_live_ci",
                violation_error_message=_("Another offer already uses this code."),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="offers_offer_value_positive",
                violation_error_message=_("The discount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100),
                name="offers_offer_percent_at_most_100",
                violation_error_message=_("A percentage discount is at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(kind="percent") | Q(hotel__isnull=False),
                name="offers_offer_fixed_needs_hotel",
                violation_error_message=_(
                    "A fixed amount needs a hotel (its currency); chain-wide offers are percent."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stay_starts_on__isnull=True)
                | Q(stay_ends_on__isnull=True)
                | Q(stay_ends_on__gte=F("stay_starts_on")),
                name="offers_offer_stay_window_valid",
                violation_error_message=_("The stay window ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(bookable_from__isnull=True)
                | Q(bookable_until__isnull=True)
                | Q(bookable_until__gt=F("bookable_from")),
                name="offers_offer_booking_window_valid",
                violation_error_message=_("The booking window ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(min_nights__gte=1),
                name="offers_offer_min_nights_positive",
                violation_error_message=_("The minimum stay is at least one night."),
            ),
            # The last word on the usage limit: no redemption can push the count past it.
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="offers_offer_usage_within_limit",
                violation_error_message=_("This offer has been used as many times as its limit allows."),
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="offers_offer_code_not_blank",
                violation_error_message=_("Leave the code empty (None) rather than blank."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    @property
    def uses_left(self) -> int | None:
        return None if self.usage_limit is None else max(self.usage_limit - self.times_used, 0)
