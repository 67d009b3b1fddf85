"""Ticket forms of the pages (the services check everything again). Files are read from request.FILES."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.bookings.models import Booking
from apps.hotels.models import Hotel
from apps.support.models import BODY_LIMIT, SUBJECT_LIMIT, Category, Priority, TicketStatus


class TicketForm(forms.Form):
    hotel = forms.ModelChoiceField(
        label=_("Hotel"), queryset=Hotel.objects.order_by("name"), to_field_name="slug", empty_label=None
    )
    booking = forms.ChoiceField(required=False, label=_("About a booking"))
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_LIMIT)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    message = forms.CharField(label=_("Message"), max_length=BODY_LIMIT, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, bookings: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bookings = {booking.reference: booking for booking in bookings}
        choices = [("", gettext("None in particular"))]
        for b in bookings:
            choices.append((b.reference, f"{b.reference} · {b.hotel.name} · {date_format(b.check_in, 'DATE_FORMAT')}"))
        self.fields["booking"].choices = choices  # type: ignore[attr-defined]

    def chosen_booking(self) -> Booking | None:
        return self.bookings.get(self.cleaned_data.get("booking") or "")


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=BODY_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(required=False, label=_("Internal note (the guest never sees it)"))


class StaffTicketForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class QueueFilters(forms.Form):
    hotel = forms.SlugField(required=False)
    status = forms.ChoiceField(
        required=False, choices=[("live", _("Open and waiting")), *TicketStatus.choices, ("", _("Any status"))]
    )
    priority = forms.ChoiceField(required=False, choices=[("", _("Any priority")), *Priority.choices])
    assignee = forms.ChoiceField(
        required=False, choices=[("", _("Anyone")), ("me", _("Assigned to me")), ("none", _("Unassigned"))]
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
