"""Support tickets (the client's "Issues"): a guest's question to a hotel, its thread, attachments and SLAs.

Status follows the pinned list: open → waiting_on_guest / waiting_on_hotel →
resolved → closed. Due times come from the priority and the hotel's support
settings; a periodic job marks the breaches and closes quiet resolved tickets.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.bookings.models import Booking
from apps.core.models import SoftDeleteModel, TimeStampedModel
from apps.hotels.models import Hotel

SUBJECT_LIMIT = 200
BODY_LIMIT = 10000


class Category(models.TextChoices):
    BOOKING = "booking", pgettext_lazy("ticket category", "Booking")
    PAYMENT = "payment", pgettext_lazy("ticket category", "Payment")
    REFUND = "refund", pgettext_lazy("ticket category", "Refund")
    ROOM = "room", pgettext_lazy("ticket category", "Room")
    OTHER = "other", pgettext_lazy("ticket category", "Other")


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("ticket priority", "Low")
    NORMAL = "normal", pgettext_lazy("ticket priority", "Normal")
    HIGH = "high", pgettext_lazy("ticket priority", "High")
    URGENT = "urgent", pgettext_lazy("ticket priority", "Urgent")


class TicketStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    WAITING_ON_GUEST = "waiting_on_guest", pgettext_lazy("ticket status", "Waiting on the guest")
    WAITING_ON_HOTEL = "waiting_on_hotel", pgettext_lazy("ticket status", "Waiting on the hotel")
    RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")


# The queue's status filter: one status, or "live" for every open or waiting ticket.
STATUS_FILTER_CHOICES = [*TicketStatus.choices, ("live", pgettext_lazy("ticket status", "Open or waiting"))]

# Statuses in which the hotel still owes something: the queue's and the SLA job's tickets.
LIVE_STATUSES = (TicketStatus.OPEN, TicketStatus.WAITING_ON_GUEST, TicketStatus.WAITING_ON_HOTEL)


def _minutes(default: int, what: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=default, help_text=f"Minutes to the {what}.")


class SupportSettings(TimeStampedModel):
    """A hotel's support terms. A hotel without a row works to the defaults below.

    Kept here rather than on Hotel: they are support's rules, and the catalogue
    (cached, read by every search) need not carry them.
    """

    hotel = models.OneToOneField(Hotel, on_delete=models.CASCADE, related_name="support_settings")
    first_response_urgent = _minutes(60, "first response of an urgent ticket")
    first_response_high = _minutes(4 * 60, "first response of a high-priority ticket")
    first_response_normal = _minutes(24 * 60, "first response of a normal ticket")
    first_response_low = _minutes(72 * 60, "first response of a low-priority ticket")
    resolution_urgent = _minutes(8 * 60, "resolution of an urgent ticket")
    resolution_high = _minutes(24 * 60, "resolution of a high-priority ticket")
    resolution_normal = _minutes(72 * 60, "resolution of a normal ticket")
    resolution_low = _minutes(7 * 24 * 60, "resolution of a low-priority ticket")
    auto_close_days = models.PositiveSmallIntegerField(
        default=7, help_text="Resolved tickets close after this many quiet days."
    )
    reopen_days = models.PositiveSmallIntegerField(
        default=14, help_text="A guest's reply reopens a resolved ticket within this many days."
    )

    class Meta:
        verbose_name = "support settings"
        verbose_name_plural = "support settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    first_response_urgent__gt=0,
                    first_response_high__gt=0,
                    first_response_normal__gt=0,
                    first_response_low__gt=0,
                    resolution_urgent__gt=0,
                    resolution_high__gt=0,
                    resolution_normal__gt=0,
                    resolution_low__gt=0,
                    auto_close_days__gt=0,
                ),
                name="support_settings_positive",
                violation_error_message=_("Every due time and the quiet days must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"Support settings of {self.hotel_id}"

    def first_response_within(self, priority: str) -> timedelta:
        return timedelta(minutes=getattr(self, f"first_response_{priority}"))

    def resolution_within(self, priority: str) -> timedelta:
        return timedelta(minutes=getattr(self, f"resolution_{priority}"))


class Ticket(SoftDeleteModel):
    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="tickets")
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    subject = models.CharField(max_length=SUBJECT_LIMIT)
    category = models.CharField(max_length=10, choices=Category.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_tickets"
    )
    first_response_due_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    # The next time the hotel owes something (first response, then resolution); empty once resolved.
    due_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    first_response_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    last_message_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="support_ticket_subject_not_blank"),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False), name="support_resolved_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="support_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["resolved", "closed"]) | Q(due_at__isnull=False),
                name="support_live_ticket_has_due_time",
            ),
        ]
        indexes = [
            # The staff queue: a hotel's live tickets by due time, read in index order up to the page's end.
            models.Index(
                fields=["hotel", "due_at", "id"],
                name="support_queue_idx",
                condition=Q(is_deleted=False, status__in=["open", "waiting_on_guest", "waiting_on_hotel"]),
            ),
            models.Index(fields=["guest", "-last_message_at"], name="support_guest_tickets_idx"),
            models.Index(fields=["status", "resolved_at"], name="support_resolved_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def breached(self) -> bool:
        return self.first_response_breached or self.resolution_breached


class TicketMessage(TimeStampedModel):
    """One message of the thread. `internal` notes are for the hotel's staff only, never the guest."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_messages")
    from_staff = models.BooleanField(help_text="Written by the hotel's staff (not the guest).")
    body = models.TextField(max_length=BODY_LIMIT)
    internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(internal=True) | Q(from_staff=True), name="support_internal_by_staff"),
        ]
        indexes = [models.Index(fields=["ticket", "created_at"], name="support_thread_idx")]

    def __str__(self) -> str:
        return f"message {self.pk} on ticket {self.ticket_id}"


def attachment_storage() -> Storage:
    """Attachments live in a storage of their own, never under a public URL (settings.STORAGES)."""
    return storages["attachments"]


class TicketAttachment(TimeStampedModel):
    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG image"
        PNG = "image/png", "PNG image"
        WEBP = "image/webp", "WebP image"
        PDF = "application/pdf", "PDF document"

    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachment_storage, max_length=300)
    name = models.CharField(max_length=200, help_text="The file's name as the sender gave it.")
    content_type = models.CharField(max_length=40, choices=Kind.choices, help_text="Recognised from the content.")
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
