"""Back office forms: shapes and field checks; every rule is the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from apps.accounts.roles import HOTEL_ROLES, ROLE_LABELS
from apps.bookings.models import Booking
from apps.hotels.models import Room
from apps.payments.models import Payment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_PAYMENT = ""
DESK_METHODS = [
    (NO_PAYMENT, "No payment now"),
    (Payment.Method.CASH, "Cash"),
    (Payment.Method.CARD_TERMINAL, "Card terminal"),
]


def room_label(room: Room, *, own_room_id: int | None = None) -> str:
    parts = [f"{room.number} · {room.room_type.name} · {room.get_housekeeping_display().lower()}"]
    if room.pk == own_room_id:
        parts.append("(assigned)")
    return " ".join(parts)


class CheckInForm(forms.Form):
    """The room (ready rooms first) and, optionally, money taken at the desk in the same step."""

    room = forms.TypedChoiceField(coerce=int, label="Room")
    method = forms.ChoiceField(choices=DESK_METHODS, required=False, label="Take payment")
    amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, label="Amount (empty: all due)"
    )

    def __init__(self, *args: Any, rooms: list[Room], booking: Booking, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in rooms}
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            (room.pk, room_label(room, own_room_id=booking.room_id)) for room in rooms
        ]


class CheckOutForm(forms.Form):
    method = forms.ChoiceField(choices=DESK_METHODS, required=False, label="Take payment")
    amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, label="Amount (empty: all due)"
    )
    leave_open_reason = forms.CharField(
        max_length=200,
        required=False,
        label="Or let the guest go with the balance open, because…",
        help_text="E.g. the company pays on invoice.",
    )


class MoveForm(forms.Form):
    room = forms.TypedChoiceField(coerce=int, label="Move to room")

    def __init__(self, *args: Any, rooms: list[Room], booking: Booking, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in rooms}
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            (room.pk, room_label(room, own_room_id=booking.room_id)) for room in rooms
        ]


class BlockForm(forms.Form):
    room = forms.TypedChoiceField(coerce=int, label="Room")
    start = forms.DateField(widget=DATE, label="First night out of order")
    end = forms.DateField(widget=DATE, label="Back in order on")
    reason = forms.CharField(max_length=200, label="Why")

    def __init__(self, *args: Any, rooms: list[tuple[int, str]], **kwargs: Any) -> None:
        """`rooms`: (id, label) of the hotel's rooms in service."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["room"]).choices = rooms


class FindForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label="Reference, guest name or email")
    status = forms.ChoiceField(choices=[("", "Any status"), *Booking.Status.choices], required=False)
    arrival = forms.DateField(widget=DATE, required=False, label="Arriving on")
    departure = forms.DateField(widget=DATE, required=False, label="Leaving on")
    staying_on = forms.DateField(widget=DATE, required=False, label="In house on")


class GrantForm(forms.Form):
    email = forms.EmailField(label="Their email (they must have an account)")
    role = forms.ChoiceField(choices=[(role, ROLE_LABELS[role]) for role in HOTEL_ROLES])


class RevokeForm(forms.Form):
    user = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=[(role, ROLE_LABELS[role]) for role in HOTEL_ROLES], widget=forms.HiddenInput)


class HousekeepingForm(forms.Form):
    housekeeping = forms.ChoiceField(choices=Room.Housekeeping.choices)
