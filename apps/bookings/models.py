"""Bookings and their frozen nightly price lines. PostgreSQL itself forbids a double booking."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models import Deferrable, F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import MONEY, SoftDeleteModel, TimeStampedModel
from apps.hotels.models import Hotel, Room, RoomType
from apps.offers.models import Offer

# No 0/O, 1/I/L: a reference read out over the phone is typed right the first time.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "HBS-"


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class StayNights(Func):
    """daterange(check_in, check_out): the same nights as StayRange (two arguments mean '[)'), as a
    distinct expression. Availability's index is built on it so that its query matches that index
    alone: the exclusion constraint's index, led by the room, would otherwise tempt the planner
    into scanning all of it by date."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, check_in: object = "check_in", check_out: object = "check_out") -> None:
        super().__init__(check_in, check_out)


class StayRange(Func):
    """daterange(check_in, check_out, '[)'): the nights of a stay, the departure day excluded."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, check_in: object = "check_in", check_out: object = "check_out") -> None:
        super().__init__(check_in, check_out, Value("[)"))


class Booking(SoftDeleteModel):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        CHECKED_OUT = "checked_out", _("Checked out")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        NO_SHOW = "no_show", _("No show")

    # The statuses that occupy a room; the exclusion constraint and availability share them.
    ACTIVE_STATUSES = (Status.HELD, Status.CONFIRMED, Status.CHECKED_IN)

    reference = models.CharField(max_length=10, unique=True, default=new_reference, editable=False)
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="bookings")
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="bookings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    check_in = models.DateField(help_text="Hotel-local arrival date.")
    check_out = models.DateField(help_text="Hotel-local departure date (not a night of the stay).")
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD, db_index=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    special_requests = models.TextField(blank=True)
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    subtotal = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, default=0)
    taxes = models.DecimalField(**MONEY, default=0)
    total = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    room_pinned = models.BooleanField(
        default=False,
        help_text="Placed in this room by hand (staff, or the room the guest asked for): the system never moves it.",
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("check_in_booking", "Can check a guest in"),
            ("check_out_booking", "Can check a guest out"),
            ("assign_room_booking", "Can assign or move the room"),
            ("mark_no_show_booking", "Can mark a booking as no-show"),
            ("cancel_booking", "Can cancel any booking of the hotel"),
        ]
        constraints = [
            # The GiST index behind this constraint also serves the check of one room (room_is_free).
            # Deferrable, checked at once unless a transaction says otherwise: re-arranging the stays of a
            # room type swaps rooms between bookings, legal only once every move of the plan is written.
            ExclusionConstraint(
                name="bookings_no_double_booking",
                expressions=[("room", RangeOperators.EQUAL), (StayRange(), RangeOperators.OVERLAPS)],
                condition=Q(status__in=["held", "confirmed", "checked_in"], is_deleted=False),
                deferrable=Deferrable.IMMEDIATE,
            ),
            models.CheckConstraint(condition=Q(check_out__gt=F("check_in")), name="bookings_check_out_after_check_in"),
            models.CheckConstraint(condition=Q(adults__gte=1), name="bookings_at_least_one_adult"),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0, discount__gte=0, taxes__gte=0, total__gte=0),
                name="bookings_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Q(discount__lte=F("subtotal")), name="bookings_discount_within_subtotal"),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount") + F("taxes")), name="bookings_total_adds_up"
            ),
            models.CheckConstraint(condition=Q(reference__regex=r"^HBS-[A-Z0-9]{6}$"), name="bookings_reference_form"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False), name="bookings_hold_has_expiry"
            ),
        ]
        indexes = [
            models.Index(fields=["hotel", "check_in"], name="bookings_hotel_arrival_idx"),
            models.Index(fields=["hotel", "check_out"], name="bookings_hotel_departure_idx"),
            # Holds past their time, released by each create for its room type and by the minute task.
            models.Index(
                fields=["room_type", "hold_expires_at"],
                name="bookings_hold_expiry_idx",
                condition=Q(status="held", is_deleted=False),
            ),
            # Availability: the hotel's active stays overlapping the dates asked, in one index scan
            # (the exclusion constraint's index leads with the room, so it would be probed once per room).
            # The occupancy report: the hotel's sold stays around a range of nights, read from this index
            # alone (id, check_in and the money ride along; the condition is the report's own).
            models.Index(
                fields=["hotel", "check_out"],
                include=["id", "check_in", "subtotal", "discount"],
                name="bookings_sold_hotel_departure",
                condition=Q(status__in=["confirmed", "checked_in", "checked_out"], is_deleted=False),
            ),
            GistIndex(
                F("hotel"),
                StayNights(),
                name="bookings_active_hotel_stay",
                condition=Q(status__in=["held", "confirmed", "checked_in"], is_deleted=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def hold_expired(self, now: datetime | None = None) -> bool:
        """A hold past its time: it no longer keeps its room, and is only confirmed by money already received."""
        expires = self.hold_expires_at
        return self.status == self.Status.HELD and expires is not None and expires <= (now or timezone.now())


class BookingNight(TimeStampedModel):
    """One night's price as quoted when the booking was made; a later rate change never touches it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="night_lines")
    date = models.DateField()
    base = models.DecimalField(**MONEY)
    occupancy_charge = models.DecimalField(**MONEY, default=0)
    override_applied = models.BooleanField(default=False)
    price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["booking", "date"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "date"], name="bookings_night_once_per_booking"),
            models.CheckConstraint(
                condition=Q(base__gte=0, occupancy_charge__gte=0, price__gte=0), name="bookings_night_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(price=F("base") + F("occupancy_charge")), name="bookings_night_price_adds_up"
            ),
        ]
        indexes = [
            # The occupancy report sums a range of nights: read from this index alone (date, booking, price).
            models.Index(fields=["date"], include=["booking", "price"], name="bookings_night_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.date}"


class BlockNights(Func):
    """daterange(start, "end"): a block's nights, `end` excluded, like a stay's."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self) -> None:
        super().__init__(F("start"), F("end"))


class RoomBlock(SoftDeleteModel):
    """A room out of order for some nights `[start, end)`: those nights are never sold.

    A plain row (room, nights, reason) that availability and the room choice read
    beside the active stays. The room stays in the hotel's supply (reported apart),
    unlike a room taken out of service. `hotel` repeats room.hotel so scoping needs no join.
    """

    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="room_blocks")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="blocks")
    start = models.DateField(help_text="The first night out of order (hotel-local).")
    end = models.DateField(help_text="The first night back in order (not blocked).")
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["room", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="bookings_block_end_after_start"),
            models.CheckConstraint(condition=~Q(reason=""), name="bookings_block_has_reason"),
            # One live block per room and night: a second overlapping block would say nothing new.
            ExclusionConstraint(
                name="bookings_block_no_overlap",
                expressions=[("room", RangeOperators.EQUAL), (BlockNights(), RangeOperators.OVERLAPS)],
                condition=Q(is_deleted=False),
            ),
        ]
        indexes = [
            # Availability: the hotel's live blocks overlapping the dates asked, in one index scan.
            GistIndex(F("hotel"), BlockNights(), name="bookings_block_hotel_nights", condition=Q(is_deleted=False)),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.start}→{self.end}"

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


class RoomTypeNight(models.Model):
    """The inventory of one room type on one night: what the hotel can still sell.

    rooms: rooms of the type in service; sold: active stays (held, confirmed, checked in) in those rooms;
    blocked: those rooms out of order that night. Kept by the booking engine in the writer's transaction
    (apps/bookings/inventory.py), under the room type's lock, rows in (room type, night) order; PostgreSQL
    refuses an oversold night. Rows run from the hotel's today to the end of the bookable horizon.
    `hotel` repeats room_type.hotel so availability reads one index range per hotel.
    """

    hotel = models.ForeignKey(Hotel, on_delete=models.CASCADE, related_name="+")
    room_type = models.ForeignKey(RoomType, on_delete=models.CASCADE, related_name="nights")
    night = models.DateField()
    rooms = models.PositiveSmallIntegerField(default=0)
    sold = models.PositiveSmallIntegerField(default=0)
    blocked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["room_type", "night"]
        constraints = [
            models.UniqueConstraint(fields=["room_type", "night"], name="bookings_inventory_once_per_night"),
            models.CheckConstraint(
                condition=Q(sold__gte=0, blocked__gte=0) & Q(sold__lte=F("rooms") - F("blocked")),
                name="bookings_inventory_not_oversold",
            ),
        ]
        indexes = [
            # Availability: a hotel's nights of a stay, every type at once, from this index alone.
            models.Index(
                fields=["hotel", "night"],
                include=["room_type", "rooms", "sold", "blocked"],
                name="bookings_inventory_hotel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_type_id} {self.night}: {self.sold}+{self.blocked}/{self.rooms}"

    @property
    def left(self) -> int:
        return self.rooms - self.sold - self.blocked
