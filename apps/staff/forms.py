"""Back office forms: shapes and field checks; every rule is the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import HOTEL_ROLES, ROLE_LABELS
from apps.bookings.models import Booking
from apps.hotels.models import Room
from apps.payments.models import Payment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_PAYMENT = ""
DESK_METHODS = [
    (NO_PAYMENT, _("No payment now")),
    (Payment.Method.CASH, _("Cash")),
    (Payment.Method.CARD_TERMINAL, _("Card terminal")),
]


def room_label(room: Room, *, own_room_id: int | None = None) -> str:
    parts = [f"{room.number} · {room.room_type.name} · {room.get_housekeeping_display().lower()}"]
    if room.pk == own_room_id:
        parts.append(gettext("(assigned)"))
    return " ".join(parts)


class CheckInForm(forms.Form):
    """The room (ready rooms first) and, optionally, money taken at the desk in the same step."""

    room = forms.TypedChoiceField(coerce=int, label=_("Room"))
    method = forms.ChoiceField(choices=DESK_METHODS, required=False, label=_("Take payment"))
    amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, label=_("Amount (empty: all due)")
    )

    def __init__(self, *args: Any, rooms: list[Room], booking: Booking, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in rooms}
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            (room.pk, room_label(room, own_room_id=booking.room_id)) for room in rooms
        ]


class CheckOutForm(forms.Form):
    method = forms.ChoiceField(choices=DESK_METHODS, required=False, label=_("Take payment"))
    amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, label=_("Amount (empty: all due)")
    )
    leave_open_reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("Or let the guest go with the balance open, because…"),
        help_text=_("E.g. the company pays on invoice."),
    )


class MoveForm(forms.Form):
    room = forms.TypedChoiceField(coerce=int, label=_("Move to room"))

    def __init__(self, *args: Any, rooms: list[Room], booking: Booking, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in rooms}
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            (room.pk, room_label(room, own_room_id=booking.room_id)) for room in rooms
        ]


class BlockForm(forms.Form):
    room = forms.TypedChoiceField(coerce=int, label=_("Room"))
    start = forms.DateField(widget=DATE, label=_("First night out of order"))
    end = forms.DateField(widget=DATE, label=_("Back in order on"))
    reason = forms.CharField(max_length=200, label=_("Why"))

    def __init__(self, *args: Any, rooms: list[tuple[int, str]], **kwargs: Any) -> None:
        """`rooms`: (id, label) of the hotel's rooms in service."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["room"]).choices = rooms


class FindForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label=_("Reference, guest name or email"))
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Booking.Status.choices], required=False, label=_("Status")
    )
    arrival = forms.DateField(widget=DATE, required=False, label=_("Arriving on"))
    departure = forms.DateField(widget=DATE, required=False, label=_("Leaving on"))
    staying_on = forms.DateField(widget=DATE, required=False, label=_("In house on"))


class GrantForm(forms.Form):
    email = forms.EmailField(label=_("Their email (they must have an account)"))
    role = forms.ChoiceField(choices=[(role, ROLE_LABELS[role]) for role in HOTEL_ROLES], label=_("Role"))


class RevokeForm(forms.Form):
    user = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=[(role, ROLE_LABELS[role]) for role in HOTEL_ROLES], widget=forms.HiddenInput)


class HousekeepingForm(forms.Form):
    housekeeping = forms.ChoiceField(choices=Room.Housekeeping.choices)
