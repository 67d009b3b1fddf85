"""The catalogue: hotels, what guests book (room types), what staff assign (rooms), and date rates.

Every rule the database can hold is a constraint here; workflows live in services.py.
"""

from __future__ import annotations

import zoneinfo
from datetime import time
from decimal import Decimal
from functools import cache

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import scope_permissions
from apps.core.models import MONEY, SoftDeleteModel

# ISO 4217 codes we sell in. All have two minor units, which is what the money
# columns (2 decimal places) and the half-up rounding to the cent assume.
CURRENCIES = {
    "AUD": "Australian dollar",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CZK": "Czech koruna",
    "DKK": "Danish krone",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "MXN": "Mexican peso",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "PLN": "Polish zloty",
    "SEK": "Swedish krona",
    "USD": "US dollar",
    "ZAR": "South African rand",
}


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            gettext("%(value)s is not an IANA time zone name (e.g. Europe/Lisbon).") % {"value": repr(value)}
        )


def validate_currency(value: str) -> None:
    if value not in CURRENCIES:
        raise ValidationError(
            gettext("%(value)s is not a supported ISO 4217 currency (%(codes)s).")
            % {"value": repr(value), "codes": ", ".join(sorted(CURRENCIES))}
        )


class Hotel(SoftDeleteModel):
    class LateCancellation(models.TextChoices):
        # After the free-cancellation deadline the hotel keeps either the first
        # night's price or `late_cancellation_share` of the stay's total.
        FIRST_NIGHT = "first_night", _("First night")
        SHARE = "share", _("A share of the stay")

    class Deposit(models.TextChoices):
        NONE = "none", _("No deposit")
        FIRST_NIGHT = "first_night", _("The first night")
        SHARE = "share", _("A share of the stay")

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, db_index=True)
    country = models.CharField(max_length=2, help_text=_("ISO 3166 alpha-2, e.g. PT."))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone], help_text=_("IANA name."))
    currency = models.CharField(max_length=3, validators=[validate_currency], help_text=_("ISO 4217 code."))
    check_in_time = models.TimeField(default=time(15, 0))
    check_out_time = models.TimeField(default=time(11, 0))
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0"), help_text=_("0.1000 is 10 % on the discounted nights.")
    )
    free_cancellation_hours = models.PositiveIntegerField(
        default=48, help_text=_("Free cancellation until this many hours before check-in time on the arrival date.")
    )
    late_cancellation_keeps = models.CharField(
        max_length=12, choices=LateCancellation.choices, default=LateCancellation.FIRST_NIGHT
    )
    late_cancellation_share = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0"), help_text=_("With 'a share': 0.5000 keeps half the stay.")
    )
    refund_approval_threshold = models.DecimalField(
        **MONEY, default=Decimal("500.00"), help_text=_("Refunds above this need a second person to approve.")
    )
    # Against one guest holding the hotel's rooms for free: at most this many rooms of one guest, held or
    # confirmed with nothing paid, on any night.
    max_unpaid_rooms_per_guest = models.PositiveSmallIntegerField(
        default=2, help_text=_("Rooms one guest may hold or confirm unpaid on one night.")
    )
    deposit_rule = models.CharField(
        max_length=12,
        choices=Deposit.choices,
        default=Deposit.NONE,
        help_text=_("A deposit to confirm: no pay-at-hotel, and a payment confirms once it covers it."),
    )
    deposit_share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text=_("With 'a share': 0.3000 asks 30 % of the stay."),
    )
    # The guests' figures, kept by the review services (an upper app) in the review's own transaction,
    # under a lock on this row: pages of this app and below show them without reading reviews.
    rating = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Average of published reviews."),
    )
    review_count = models.PositiveIntegerField(default=0, editable=False, help_text=_("Published reviews."))
    rating_cleanliness = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True, editable=False)
    rating_comfort = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True, editable=False)
    rating_location = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True, editable=False)
    rating_staff = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True, editable=False)
    rating_value = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        permissions = [
            *scope_permissions(),
            ("manage_staff_hotel", "Can grant and revoke staff roles at this hotel"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(is_deleted=False),
                name="hotels_hotel_slug_live",
                violation_error_message=_("Another hotel already uses this slug."),
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lt=1),
                name="hotels_hotel_tax_rate_range",
                violation_error_message=_("The tax rate is a fraction from 0 up to 1 (0.1000 is ten percent)."),
            ),
            models.CheckConstraint(
                condition=Q(late_cancellation_share__gte=0, late_cancellation_share__lte=1),
                name="hotels_hotel_late_share_range",
                violation_error_message=_("The share kept is a fraction from 0 to 1 (0.5000 keeps half)."),
            ),
            models.CheckConstraint(
                condition=Q(deposit_share__gte=0, deposit_share__lte=1),
                name="hotels_hotel_deposit_share_range",
                violation_error_message=_("The deposit share is a fraction from 0 to 1 (0.3000 asks 30 %)."),
            ),
            models.CheckConstraint(
                condition=Q(refund_approval_threshold__gte=0),
                name="hotels_hotel_refund_threshold_positive",
                violation_error_message=_("The refund approval threshold cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="hotels_hotel_latitude_range",
                violation_error_message=_("Latitude is between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="hotels_hotel_longitude_range",
                violation_error_message=_("Longitude is between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="hotels_hotel_currency_code",
                violation_error_message=_("Use a three-letter ISO 4217 currency code, e.g. EUR."),
            ),
            models.CheckConstraint(
                condition=(Q(review_count=0) & Q(rating__isnull=True))
                | (Q(review_count__gt=0) & Q(rating__gte=1) & Q(rating__lte=5)),
                name="hotels_hotel_rating_matches_count",
                violation_error_message=_("A hotel's rating is from 1 to 5, and only with published reviews."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Category figures by the names the reviews API uses.
    RATING_CATEGORIES = ("cleanliness", "comfort", "location", "staff", "value")

    @property
    def category_ratings(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, f"rating_{name}") for name in self.RATING_CATEGORIES}

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def map_url(self) -> str:
        """An OpenStreetMap link (no external script on our pages)."""
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=17/{self.latitude}/{self.longitude}"
        )


class Amenity(SoftDeleteModel):
    code = models.SlugField(max_length=40, help_text=_("Stable short name, e.g. wifi."))
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "amenities"
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_deleted=False),
                name="hotels_amenity_code_live",
                violation_error_message=_("An amenity with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoomType(SoftDeleteModel):
    """What a guest books. The nightly rate includes `base_occupancy` people."""

    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="room_types")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    photos = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text=_("Static paths (img/rooms/…) or absolute URLs of the photos, first is the cover."),
    )
    max_adults = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    max_children = models.PositiveSmallIntegerField(default=0)
    base_occupancy = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    base_rate = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    extra_adult_charge = models.DecimalField(**MONEY, default=Decimal("0"))
    extra_child_charge = models.DecimalField(**MONEY, default=Decimal("0"))
    size_sqm = models.PositiveSmallIntegerField(null=True, blank=True)
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="room_types")

    class Meta:
        ordering = ["hotel", "base_rate", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hotel", "name"],
                condition=Q(is_deleted=False),
                name="hotels_roomtype_name_live",
                violation_error_message=_("This hotel already has a room type with this name."),
            ),
            models.CheckConstraint(
                condition=Q(base_rate__gt=0),
                name="hotels_roomtype_base_rate_positive",
                violation_error_message=_("The base rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(extra_adult_charge__gte=0, extra_child_charge__gte=0),
                name="hotels_roomtype_charges_not_negative",
                violation_error_message=_("Extra-person charges cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(max_adults__gte=1),
                name="hotels_roomtype_max_adults_positive",
                violation_error_message=_("A room takes at least one adult."),
            ),
            models.CheckConstraint(
                condition=Q(base_occupancy__gte=1, base_occupancy__lte=F("max_adults") + F("max_children")),
                name="hotels_roomtype_base_occupancy_within_capacity",
                violation_error_message=_("The base occupancy cannot exceed the room's adults plus children."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hotel_id})"

    def fits(self, *, adults: int, children: int) -> bool:
        return 1 <= adults <= self.max_adults and 0 <= children <= self.max_children

    @property
    def photo_urls(self) -> list[str]:
        return [photo_url(path) for path in self.photos]


def photo_url(path: str) -> str:
    """A shipped static image (img/rooms/…) or an absolute https URL."""
    from django.templatetags.static import static

    return path if path.startswith("https://") else static(path)


class Room(SoftDeleteModel):
    """What the desk hands out. `hotel` repeats room_type.hotel so scoping needs no join."""

    class Housekeeping(models.TextChoices):
        CLEAN = "clean", _("Clean")
        DIRTY = "dirty", _("Dirty")
        INSPECTED = "inspected", _("Inspected")

    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="rooms")
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(max_length=10)
    floor = models.SmallIntegerField(default=0)
    in_service = models.BooleanField(default=True, help_text=_("Out of service rooms are never sold."))
    housekeeping = models.CharField(max_length=10, choices=Housekeeping.choices, default=Housekeeping.CLEAN)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["hotel", "number"]
        permissions = [("change_room_housekeeping", "Can set the housekeeping state")]
        constraints = [
            models.UniqueConstraint(
                fields=["hotel", "number"],
                condition=Q(is_deleted=False),
                name="hotels_room_number_live",
                violation_error_message=_("This hotel already has a room with this number."),
            ),
            models.CheckConstraint(
                condition=~Q(number=""),
                name="hotels_room_number_not_blank",
                violation_error_message=_("A room needs a number."),
            ),
        ]
        indexes = [models.Index(fields=["room_type", "in_service"], name="hotels_room_type_service_idx")]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        # `hotel` repeats room_type.hotel for scoping; the two must agree (admin forms included).
        if self.room_type_id and self.hotel_id and self.room_type.hotel_id != self.hotel_id:
            raise ValidationError({"room_type": gettext("This room type belongs to another hotel.")})


class RateOverride(SoftDeleteModel):
    """A price for some nights of a room type: a fixed price or an adjustment of the base rate.

    `starts_on`..`ends_on` are nights, both inclusive. `weekdays` (0 = Monday)
    narrows it to those days (e.g. [4, 5] for Friday and Saturday nights);
    empty means every day. How overlapping overrides combine is the price
    engine's rule (pricing.py), never the order they were entered in.
    """

    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="rate_overrides")
    name = models.CharField(max_length=80, blank=True, help_text=_("e.g. Summer weekends."))
    starts_on = models.DateField()
    ends_on = models.DateField()
    weekdays = ArrayField(models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)]), default=list, blank=True)
    price = models.DecimalField(**MONEY, null=True, blank=True, help_text=_("The nightly price on these nights."))
    adjustment = models.DecimalField(
        **MONEY, null=True, blank=True, help_text=_("Or an amount added to the base rate (negative lowers it).")
    )
    min_nights = models.PositiveSmallIntegerField(default=1, help_text=_("For stays arriving on these nights."))
    closed_to_arrival = models.BooleanField(default=False)

    class Meta:
        ordering = ["room_type", "starts_on"]
        verbose_name = "rate override"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="hotels_rate_valid_range",
                violation_error_message=_("The last night cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=(Q(price__isnull=False) & Q(adjustment__isnull=True))
                | (Q(price__isnull=True) & Q(adjustment__isnull=False)),
                name="hotels_rate_price_xor_adjustment",
                violation_error_message=_("Give either a nightly price or an adjustment of the base rate."),
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0),
                name="hotels_rate_price_positive",
                violation_error_message=_("The price must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(min_nights__gte=1),
                name="hotels_rate_min_nights_positive",
                violation_error_message=_("The minimum stay is at least one night."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__contained_by=[0, 1, 2, 3, 4, 5, 6]),
                name="hotels_rate_weekdays_valid",
                violation_error_message=_("Weekdays run from 0 (Monday) to 6 (Sunday)."),
            ),
        ]
        indexes = [models.Index(fields=["room_type", "starts_on", "ends_on"], name="hotels_rate_type_dates_idx")]

    def __str__(self) -> str:
        return gettext("%(name)s %(start)s to %(end)s") % {
            "name": self.name or gettext("Rate"),
            "start": self.starts_on,
            "end": self.ends_on,
        }
