"""Shapes of the tickets API. The guest's and the staff's view of a ticket are distinct components."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from apps.support.models import (
    BODY_LIMIT,
    STATUS_FILTER_CHOICES,
    SUBJECT_LIMIT,
    Category,
    Priority,
    Ticket,
    TicketAttachment,
    TicketStatus,
)


class TicketCreateIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, help_text="The hotel's slug.")
    booking = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="One of your bookings there."
    )
    subject = serializers.CharField(max_length=SUBJECT_LIMIT)
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    message = serializers.CharField(max_length=BODY_LIMIT)


class TicketPatchIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    assignee = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text="A staff member's user id; null unassigns.",
    )


class TicketFiltersIn(serializers.Serializer):
    # Empty values are accepted as "no filter", as a form sends them.
    hotel = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True)
    assignee = serializers.RegexField(
        r"^(me|none|[0-9]{1,18})?$", required=False, allow_blank=True, help_text="me, none, or a user id."
    )
    overdue = serializers.BooleanField(required=False, default=False)


class TicketMessageIn(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_LIMIT)
    internal = serializers.BooleanField(
        required=False, default=False, help_text="Staff only: never shown to the guest."
    )


class TicketMessageUploadIn(TicketMessageIn):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list,
        help_text="JPEG, PNG, WebP or PDF (by content), at most 5 MB each and 5 per message.",
    )  # fmt: skip


class TicketPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class TicketGuestPersonOut(TicketPersonOut):
    email = serializers.EmailField()


class TicketAttachmentOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Opens only for those who may see the ticket.")

    class Meta:
        model = TicketAttachment
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, attachment: TicketAttachment) -> str:
        return reverse("v1:support:attachment", args=[attachment.pk], request=self.context.get("request"))


class TicketMessageOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = TicketPersonOut()
    from_staff = serializers.BooleanField()
    body = serializers.CharField()
    internal = serializers.BooleanField()
    attachments = TicketAttachmentOut(many=True)
    created_at = serializers.DateTimeField()


class _TicketFields(serializers.Serializer):
    id = serializers.IntegerField()
    hotel = serializers.CharField(source="hotel.slug")
    booking = serializers.CharField(source="booking.reference", allow_null=True, default=None)
    subject = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    created_at = serializers.DateTimeField()
    last_message_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class TicketGuestOut(_TicketFields):
    """A ticket as its guest sees it."""

    view = serializers.SerializerMethodField(help_text="Always guest: the shape a ticket's guest gets.")

    @extend_schema_field(serializers.ChoiceField(choices=[("guest", "guest")]))
    def get_view(self, ticket: Ticket) -> str:
        return "guest"


class TicketStaffOut(_TicketFields):
    """A ticket as its hotel's staff see it: with the guest, the assignee and the SLA."""

    view = serializers.SerializerMethodField(help_text="Always staff: the shape the hotel's staff get.")
    guest = TicketGuestPersonOut()
    assignee = TicketPersonOut(allow_null=True)
    first_response_due_at = serializers.DateTimeField()
    resolution_due_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True, help_text="The next time the hotel owes something.")
    first_responded_at = serializers.DateTimeField(allow_null=True)
    first_response_breached = serializers.BooleanField()
    resolution_breached = serializers.BooleanField()
    overdue = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=[("staff", "staff")]))
    def get_view(self, ticket: Ticket) -> str:
        return "staff"

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, ticket: Ticket) -> bool:
        now = self.context.get("now")
        return bool(ticket.due_at and now and ticket.due_at < now)
